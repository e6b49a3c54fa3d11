import type { Core } from '@strapi/strapi';
import { emailActivateBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { parseInput } from '../../platform/errors/parseInput';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createEmailFactorController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/email/setup` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        return getService(strapi, 'emailFactor').setup(
          userId,
          getService(strapi, 'enrolment').authorizeAddition(ctx, userId),
        );
      });
    },

    /** `POST /api/two-factor/email/activate` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, code } = parseInput(emailActivateBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        await getService(strapi, 'enrolment').assertOpen(ctx, userId);
        const activated = await getService(strapi, 'emailFactor').activate(userId, factorId, code);
        return getService(strapi, 'enrolment').completeActivation(ctx, userId, activated, {
          method: 'email',
          notice: 'email codes were turned on',
        });
      });
    },
  };
}
