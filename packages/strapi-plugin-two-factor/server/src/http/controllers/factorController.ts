import type { Core } from '@strapi/strapi';
import { factorRenameBody, idParams, reauthenticationBody, stepUpSendBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { currentSessionId } from '../../core/assurance/sessionService';
import type { FactorType } from '../../core/factors/factorService';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

/** What a removal tells the owner, by the removed factor's type. */
const REMOVAL_NOTICES: Record<FactorType, string> = {
  totp: 'an authenticator app was removed',
  sms: 'a phone number was removed',
  email: 'email codes were turned off',
  passkey: 'a passkey was removed',
};

export function createFactorController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/factors/:id/remove` with `{ method, code }` */
    async remove(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const { id } = parseInput(idParams, ctx.params);
        const proof = parseInput(reauthenticationBody, ctx.request.body);
        const factor = await getService(strapi, 'factors').findOwned(userId, id);
        if (factor === null) throw twoFactorError('NOT_FOUND');
        await getService(strapi, 'stepUp').reauthenticate(userId, proof);
        const removed = await getService(strapi, 'factors').remove(userId, id);
        await getService(strapi, 'sessions').endOthers(userId, currentSessionId(ctx));
        const what = REMOVAL_NOTICES[removed.type];
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
        const proof = parseInput(reauthenticationBody, ctx.request.body);
        await getService(strapi, 'stepUp').reauthenticate(userId, proof);
        const recoveryCodes = await getService(strapi, 'recoveryCodes').regenerate(userId);
        await getService(strapi, 'sessions').endOthers(userId, currentSessionId(ctx));
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
        const { id } = parseInput(idParams, ctx.params);
        await getService(strapi, 'trustedDevices').revoke(userId, id);
        return getService(strapi, 'me').status(userId);
      });
    },

    /** `POST /api/two-factor/factors/:id/rename {label}`: a name only, so no fresh factor needed. */
    async rename(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const { id } = parseInput(idParams, ctx.params);
        const { label } = parseInput(factorRenameBody, ctx.request.body);
        await getService(strapi, 'factors').rename(userId, id, label);
        return getService(strapi, 'me').status(userId);
      });
    },

    /** `POST /api/two-factor/step-up/verify` with `{ method, code }` or `{ method: "passkey", response }` → `{ jwt }` */
    async verifyStepUp(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        const proof = parseInput(reauthenticationBody, ctx.request.body);
        return getService(strapi, 'stepUp').raise(ctx, userId, proof);
      });
    },

    /** `POST /api/two-factor/step-up/send` with `{ method: 'sms' | 'email' | 'passkey' }` */
    async sendStepUpCode(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { method } = parseInput(stepUpSendBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        if (method === 'passkey') return getService(strapi, 'stepUp').passkeyOptions(userId);
        return getService(strapi, 'stepUp').sendCode(userId, method);
      });
    },
  };
}
