import type { Core } from '@strapi/strapi';
import type { AdminUserSessions, EndedSessions } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import { parseInput } from '../../platform/errors/parseInput';
import { adminActor } from '../admin/adminActor';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

const userParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function createAdminSessionsController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `GET /two-factor/users/:id/sessions` → `{ mode, sessions }`, newest refresh first */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<AdminUserSessions> => {
        const { id } = parseInput(userParams, ctx.params);
        return getService(strapi, 'adminSessions').list(id);
      });
    },

    /** `POST /two-factor/users/:id/sessions/end` → `{ mode, ended }` */
    async endAll(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<EndedSessions> => {
        const { id } = parseInput(userParams, ctx.params);
        return getService(strapi, 'adminSessions').endAll(id, adminActor(ctx));
      });
    },
  };
}
