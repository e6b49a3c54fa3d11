import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createMeController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `GET /api/two-factor/me` */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => getService(strapi, 'me').status(authenticatedUserId(ctx)));
    },
  };
}
