import type { Core } from '@strapi/strapi';
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

    async methodsFor(userId) {
      const types = new Set((await getService(strapi, 'factors').activeFactors(userId)).map((f) => f.type));
      const methods: VerificationMethod[] = (['sms', 'email', 'totp'] as const).filter((type) => types.has(type));
      if ((await getService(strapi, 'recoveryCodes').remaining(userId)) > 0) methods.push('recovery_code');
      return methods;
    },
  };
}
