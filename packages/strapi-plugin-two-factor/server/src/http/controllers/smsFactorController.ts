import type { Core } from '@strapi/strapi';
import { smsActivateBody, smsSetupBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { parseInput } from '../../platform/errors/parseInput';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createSmsFactorController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/sms/setup` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { phone } = parseInput(smsSetupBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        return getService(strapi, 'smsFactor').setup(
          userId,
          phone,
          getService(strapi, 'enrolment').authorizeAddition(ctx, userId),
        );
      });
    },

    /** `POST /api/two-factor/sms/activate` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, code } = parseInput(smsActivateBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        await getService(strapi, 'enrolment').assertOpen(ctx, userId);
        const activated = await getService(strapi, 'smsFactor').activate(userId, factorId, code);
        return getService(strapi, 'enrolment').completeActivation(ctx, userId, activated, {
          method: 'sms',
          notice: 'a phone number was added',
        });
      });
    },
  };
}
