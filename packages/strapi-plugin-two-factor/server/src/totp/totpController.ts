import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { finishEnrolment } from '../enrolment/finishEnrolment';
import { authenticatedUserId } from '../http/authenticatedUserId';
import { handleRequest } from '../http/handleRequest';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

const activateBody = z.object({
  factorId: z.coerce.number().int().positive(),
  code: z.string().regex(/^\d{6}$/),
});

export function createTotpController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/totp/setup` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => getService(strapi, 'totp').setup(authenticatedUserId(ctx)));
    },

    /** `POST /api/two-factor/totp/activate` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, code } = parseInput(activateBody, ctx.request.body);
        const activated = await getService(strapi, 'totp').activate(authenticatedUserId(ctx), factorId, code);
        return finishEnrolment(strapi, ctx, activated);
      });
    },
  };
}
