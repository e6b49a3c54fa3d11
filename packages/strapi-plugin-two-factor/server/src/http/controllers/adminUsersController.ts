import type { Core } from '@strapi/strapi';
import type { AdminUserStatus } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import { paginationQuery } from '../../flows/admin/pagination';
import { parseInput } from '../../platform/errors/parseInput';
import { adminActor } from '../admin/adminActor';
import { optionalQueryValue } from '../admin/optionalQueryValue';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

const listQuery = z.object({ ...paginationQuery, search: optionalQueryValue(z.string().max(100)) });
const userParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function createAdminUsersController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `GET /two-factor/users?page=&pageSize=&search=` → `{ results, pagination }` */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => getService(strapi, 'adminUsers').list(parseInput(listQuery, ctx.query)));
    },

    /** `POST /two-factor/users/:id/reset` → the user's new status */
    async reset(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<AdminUserStatus> => {
        const { id } = parseInput(userParams, ctx.params);
        return getService(strapi, 'adminUsers').reset(id, adminActor(ctx));
      });
    },

    /** `POST /two-factor/users/:id/unlock` → the user's new status */
    async unlock(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<AdminUserStatus> => {
        const { id } = parseInput(userParams, ctx.params);
        return getService(strapi, 'adminUsers').unlock(id, adminActor(ctx));
      });
    },
  };
}
