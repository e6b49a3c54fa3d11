import type { Core } from '@strapi/strapi';
import { emailActivateBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { currentSessionId, endOtherSessions } from '../assurance/endOtherSessions';
import { assertEnrolmentOpen } from '../enrolment/assertEnrolmentOpen';
import { finishEnrolment } from '../enrolment/finishEnrolment';
import { authorizeFactorAddition } from '../factors/authorizeFactorAddition';
import { authenticatedUserId } from '../http/authenticatedUserId';
import { handleRequest } from '../http/handleRequest';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

export function createEmailFactorController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/email/setup` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        return getService(strapi, 'emailFactor').setup(userId, authorizeFactorAddition(strapi, ctx, userId));
      });
    },

    /** `POST /api/two-factor/email/activate` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, code } = parseInput(emailActivateBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        await assertEnrolmentOpen(strapi, ctx, userId);
        const activated = await getService(strapi, 'emailFactor').activate(userId, factorId, code);
        // A factor added is told to the owner, in case it was not them (ASVS 5.0 6.3.6).
        await getService(strapi, 'notifications').securityChange(userId, 'email codes were turned on');
        // Before the enrolment's own session is made, so that one is not ended with the rest.
        await endOtherSessions(strapi, userId, currentSessionId(ctx));
        return finishEnrolment(strapi, ctx, activated, 'email');
      });
    },
  };
}
