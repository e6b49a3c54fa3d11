import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { authenticatedUserId } from '../http/authenticatedUserId';
import { handleRequest } from '../http/handleRequest';
import { getService } from '../utils/getService';

export function createMeController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `GET /api/two-factor/me` */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => getService(strapi, 'me').status(authenticatedUserId(ctx)));
    },
  };
}
