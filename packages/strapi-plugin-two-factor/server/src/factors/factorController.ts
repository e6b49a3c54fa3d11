import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { twoFactorError } from '../errors/twoFactorError';
import { authenticatedUserId } from '../http/authenticatedUserId';
import { handleRequest } from '../http/handleRequest';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

/** A fresh code from a factor the user holds now: the re-authentication changes need. */
export const reauthenticationBody = z.object({
  method: z.enum(['sms', 'totp', 'recovery_code']),
  code: z.string().min(4).max(20),
});

const factorParams = z.object({ id: z.coerce.number().int().positive() });

export function createFactorController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/factors/:id/remove` with `{ method, code }` */
    async remove(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const { id } = parseInput(factorParams, ctx.params);
        const { method, code } = parseInput(reauthenticationBody, ctx.request.body);
        const factor = await getService(strapi, 'factors').findOwned(userId, id);
        if (factor === null) throw twoFactorError('NOT_FOUND');
        await getService(strapi, 'stepUp').reauthenticate(userId, method, code);
        const removed = await getService(strapi, 'factors').remove(userId, id);
        const what = removed.type === 'totp' ? 'an authenticator app was removed' : 'a phone number was removed';
        await getService(strapi, 'notifications').securityChange(
          userId,
          what,
          removed.phone === null ? [] : [removed.phone],
        );
        return getService(strapi, 'me').status(userId);
      });
    },

    /** `POST /api/two-factor/recovery-codes/regenerate` with `{ method, code }` */
    async regenerateRecoveryCodes(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const { method, code } = parseInput(reauthenticationBody, ctx.request.body);
        await getService(strapi, 'stepUp').reauthenticate(userId, method, code);
        const recoveryCodes = await getService(strapi, 'recoveryCodes').regenerate(userId);
        await getService(strapi, 'events').record('recovery-codes.regenerated', userId);
        await getService(strapi, 'notifications').securityChange(
          userId,
          'new recovery codes were made; the old ones no longer work',
        );
        return { recoveryCodes };
      });
    },

    /** `POST /api/two-factor/trusted-devices/:id/revoke` */
    async revokeTrustedDevice(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const { id } = parseInput(factorParams, ctx.params);
        await getService(strapi, 'trustedDevices').revoke(userId, id);
        return getService(strapi, 'me').status(userId);
      });
    },

    /** `POST /api/two-factor/step-up/send` with `{ method: 'sms' }` */
    async sendStepUpCode(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        parseInput(z.object({ method: z.literal('sms') }), ctx.request.body);
        return getService(strapi, 'stepUp').sendSmsCode(authenticatedUserId(ctx));
      });
    },
  };
}
