import type { Core } from '@strapi/strapi';
import { totpActivateBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { parseInput } from '../../platform/errors/parseInput';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createTotpController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/totp/setup` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        return getService(strapi, 'totp').setup(userId, getService(strapi, 'enrolment').authorizeAddition(ctx, userId));
      });
    },

    /** `POST /api/two-factor/totp/activate` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, code } = parseInput(totpActivateBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        await getService(strapi, 'enrolment').assertOpen(ctx, userId);
        const activated = await getService(strapi, 'totp').activate(userId, factorId, code);
        return getService(strapi, 'enrolment').completeActivation(ctx, userId, activated, {
          method: 'totp',
          notice: 'an authenticator app was added',
        });
      });
    },
  };
}
