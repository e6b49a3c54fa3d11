import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { raiseSessionAssurance, reissueAccessToken } from '../assurance/accessTokenClaims';
import { assuranceAfterStepUp, readAssurance } from '../assurance/assurance';
import { verifiedAccessTokenPayload } from '../assurance/currentAssurance';
import { maskEmail } from '../email/maskEmail';
import { twoFactorError } from '../errors/twoFactorError';
import type { VerificationMethod } from '../login-challenge/challengeService';
import { describeDelivery } from '../login-challenge/describeDelivery';
import { maskPhone } from '../sms/maskPhone';
import { getService } from '../utils/getService';

/** The methods whose code the server sends (`step-up/send`). */
export type SentCodeMethod = 'sms' | 'email';

export interface StepUpService {
  /** Sends a fresh SMS or email code to the user's factor, for a change that needs re-authentication. */
  sendCode(
    userId: number,
    method: SentCodeMethod,
  ): Promise<{ sentTo: string; expiresAt: string; resendAvailableAt: string }>;
  /**
   * Proves the signed-in user holds a factor right now (a fresh code), with the same attempt
   * caps and lock-out as sign-in. Throws the contract's errors otherwise.
   */
  reauthenticate(userId: number, method: VerificationMethod, code: string): Promise<void>;
  /**
   * Step-up without a new sign-in: a fresh code raises the request's session (`amr` gains the
   * method, `aal` 2 for a password session and an AAL2 factor, `auth_time` now) and answers a
   * new access token. In refresh mode the session itself records it, so refreshes keep it.
   */
  raise(ctx: Context, userId: number, method: VerificationMethod, code: string): Promise<{ jwt: string }>;
  /** The methods the user can re-authenticate with now. */
  methodsFor(userId: number): Promise<VerificationMethod[]>;
}

export function createStepUpService({ strapi }: { strapi: Core.Strapi }): StepUpService {
  const challenges = () => getService(strapi, 'challenges');

  /** Where the code goes: the active factor's number, or the account's address for email. */
  async function destinationOf(userId: number, method: SentCodeMethod): Promise<{ factorId: number; to: string }> {
    const factor = (await getService(strapi, 'factors').activeFactors(userId)).find((f) => f.type === method);
    if (factor === undefined) throw twoFactorError('METHOD_NOT_AVAILABLE');
    if (method === 'email')
      return { factorId: factor.id, to: await getService(strapi, 'emailFactor').addressOf(userId) };
    if (factor.phone === null) throw twoFactorError('METHOD_NOT_AVAILABLE');
    return { factorId: factor.id, to: factor.phone };
  }

  return {
    async sendCode(userId, method) {
      const { factorId, to } = await destinationOf(userId, method);
      const challenge =
        (await challenges().findNewestOpen({ userId, method }, 'step-up')) ??
        (
          await challenges().create({
            purpose: 'step-up',
            userId,
            factorId,
            method,
            phone: method === 'sms' ? to : null,
          })
        ).challenge;
      const issued = await challenges().issueCode(challenge);
      try {
        if (method === 'sms') await getService(strapi, 'sms').sendCodeNow(to, issued.code ?? '', 'account');
        else await getService(strapi, 'email').sendCodeNow(to, issued.code ?? '');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return describeDelivery(strapi, method === 'sms' ? maskPhone(to) : maskEmail(to));
    },

    async reauthenticate(userId, method, code) {
      if (method === 'sms' || method === 'email') {
        // The code `step-up/send` sent by this method; it is judged by that challenge alone.
        const challenge = await challenges().findNewestOpen({ userId, method }, 'step-up');
        if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
        await challenges().verify(challenge, method, code);
        return;
      }
      const factors = await getService(strapi, 'factors').activeFactors(userId);
      const available =
        method === 'totp'
          ? factors.some((f) => f.type === 'totp')
          : (await getService(strapi, 'recoveryCodes').remaining(userId)) > 0;
      if (!available) throw twoFactorError('METHOD_NOT_AVAILABLE');
      // A challenge of its own, so these codes get the same attempt cap and lock-out.
      const { challenge } = await challenges().create({ purpose: 'step-up', userId, method });
      await challenges().verify(challenge, method, code);
    },

    async raise(ctx, userId, method, code) {
      const payload = await verifiedAccessTokenPayload(strapi, ctx);
      if (payload === undefined) throw new errors.UnauthorizedError('Missing or invalid credentials');
      await this.reauthenticate(userId, method, code);
      const raised = assuranceAfterStepUp(readAssurance(payload), method, getService(strapi, 'clock').now());
      const mode = strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support');
      if (mode !== 'refresh') {
        // Legacy tokens are the session: the new one is the raised session.
        const jwt = strapi
          .plugin('users-permissions')
          .service('jwt')
          .issue({ id: userId, ...raised }) as string;
        return { jwt };
      }
      const sessionId = typeof payload.sessionId === 'string' ? payload.sessionId : undefined;
      if (sessionId === undefined || !(await raiseSessionAssurance(strapi, sessionId, raised))) {
        // The session behind this still-valid access token was ended: nothing left to raise.
        throw new errors.UnauthorizedError('Missing or invalid credentials');
      }
      return { jwt: reissueAccessToken(strapi, payload, raised) };
    },

    async methodsFor(userId) {
      const types = new Set((await getService(strapi, 'factors').activeFactors(userId)).map((f) => f.type));
      const methods: VerificationMethod[] = (['sms', 'email', 'totp'] as const).filter((type) => types.has(type));
      if ((await getService(strapi, 'recoveryCodes').remaining(userId)) > 0) methods.push('recovery_code');
      return methods;
    },
  };
}
