import type { Core } from '@strapi/strapi';
import { twoFactorError } from '../errors/twoFactorError';
import type { VerificationMethod } from '../login-challenge/challengeService';
import { describeDelivery } from '../login-challenge/describeDelivery';
import { maskPhone } from '../sms/maskPhone';
import { getService } from '../utils/getService';

export interface StepUpService {
  /** Sends a fresh SMS code to the user's number, for a change that needs re-authentication. */
  sendSmsCode(userId: number): Promise<{ sentTo: string; expiresAt: string; resendAvailableAt: string }>;
  /**
   * Proves the signed-in user holds a factor right now (a fresh code), with the same attempt
   * caps and lock-out as sign-in. Throws the contract's errors otherwise.
   */
  reauthenticate(userId: number, method: VerificationMethod, code: string): Promise<void>;
}

export function createStepUpService({ strapi }: { strapi: Core.Strapi }): StepUpService {
  const challenges = () => getService(strapi, 'challenges');

  return {
    async sendSmsCode(userId) {
      const factor = (await getService(strapi, 'factors').activeFactors(userId)).find((f) => f.type === 'sms');
      if (factor?.phone == null) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const challenge =
        (await challenges().findNewestOpen({ userId, method: 'sms' }, 'step-up')) ??
        (
          await challenges().create({
            purpose: 'step-up',
            userId,
            factorId: factor.id,
            method: 'sms',
            phone: factor.phone,
          })
        ).challenge;
      const issued = await challenges().issueCode(challenge);
      try {
        await getService(strapi, 'sms').sendCodeNow(factor.phone, issued.code ?? '', 'account');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return describeDelivery(strapi, maskPhone(factor.phone));
    },

    async reauthenticate(userId, method, code) {
      const factors = await getService(strapi, 'factors').activeFactors(userId);
      if (method === 'sms') {
        const challenge = await challenges().findNewestOpen({ userId, method: 'sms' }, 'step-up');
        if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
        await challenges().verify(challenge, 'sms', code);
        return;
      }
      const available =
        method === 'totp'
          ? factors.some((f) => f.type === 'totp')
          : (await getService(strapi, 'recoveryCodes').remaining(userId)) > 0;
      if (!available) throw twoFactorError('METHOD_NOT_AVAILABLE');
      // A challenge of its own, so these codes get the same attempt cap and lock-out.
      const { challenge } = await challenges().create({ purpose: 'step-up', userId, method });
      await challenges().verify(challenge, method, code);
    },
  };
}
