import type { Core } from '@strapi/strapi';
import {
  passkeyActivateBody as activateBody,
  passkeyLoginVerifyBody as loginVerifyBody,
} from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { assuranceOfPasskeySignIn } from '../../core/assurance/assurance';
import { issueStrapiTokens } from '../../core/assurance/issueStrapiTokens';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { createUserStore } from '../../platform/stores/userStore';
import { ANSWER_FLOOR_MILLISECONDS, answerNoSoonerThan } from '../answerNoSoonerThan';
import { authenticatedUserId } from '../authenticatedUserId';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createPasskeyController({ strapi }: { strapi: Core.Strapi }) {
  const users = createUserStore(strapi);
  return {
    /** `POST /api/two-factor/passkey/setup` → `{ factorId, options }` */
    async setup(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const userId = authenticatedUserId(ctx);
        return getService(strapi, 'passkeys').setup(
          userId,
          getService(strapi, 'enrolment').authorizeAddition(ctx, userId),
        );
      });
    },

    /** `POST /api/two-factor/passkey/activate {factorId, response, label?}` → `{ factor, recoveryCodes? }` */
    async activate(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { factorId, response, label } = parseInput(activateBody, ctx.request.body);
        const userId = authenticatedUserId(ctx);
        await getService(strapi, 'enrolment').assertOpen(ctx, userId);
        const { proof, ...activated } = await getService(strapi, 'passkeys').activate(
          userId,
          factorId,
          response,
          label,
        );
        return getService(strapi, 'enrolment').completeActivation(ctx, userId, activated, {
          method: { passkey: proof },
          notice: 'a passkey was added',
        });
      });
    },

    /** `POST /api/two-factor/passkey/login/options` → `{ token, expiresAt, options }` */
    async loginOptions(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => getService(strapi, 'passkeys').loginOptions());
    },

    /** `POST /api/two-factor/passkey/login/verify {token, response}` → Strapi's login body */
    async loginVerify(ctx: Context): Promise<void> {
      // A registered credential and an unknown one answer alike, in time too (answerNoSoonerThan.ts).
      await handleRequest(ctx, async () =>
        answerNoSoonerThan(ANSWER_FLOOR_MILLISECONDS, async () => {
          const { token, response } = parseInput(loginVerifyBody, ctx.request.body);
          const challenge = await getService(strapi, 'challenges').findOpen(token, ['passkey-login']);
          // Passwordless is one factor standing for two: only with user verification (DESIGN.md).
          const verified = await getService(strapi, 'passkeys').verifyAssertion(challenge, response, {
            requireUserVerification: true,
          });
          const user = await users.findById(verified.userId);
          if (user === null || user.blocked === true) throw twoFactorError('INVALID_PASSKEY');
          // An unconfirmed account signs in with no method; Strapi's own login refuses it too.
          const requiresConfirmation = await strapi
            .store({ type: 'plugin', name: 'users-permissions', key: 'advanced' })
            .get()
            .then((advanced) => (advanced as { email_confirmation?: boolean } | null)?.email_confirmation === true);
          if (requiresConfirmation && user.confirmed !== true) throw twoFactorError('INVALID_PASSKEY');
          await getService(strapi, 'events').record('sign-in.succeeded', user.id, {
            method: 'passkey',
            passwordless: true,
          });
          const assurance = assuranceOfPasskeySignIn(verified.proof, getService(strapi, 'clock').now());
          return issueStrapiTokens(strapi, ctx, user, { assurance });
        }),
      );
    },
  };
}
