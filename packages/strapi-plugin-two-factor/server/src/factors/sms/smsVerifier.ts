import { type CodeVerifier, DIGIT_CODE_FORMAT } from '../../core/challenges/codeVerifier';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import type { FactorService } from '../../core/factors/factorService';
import { twoFactorError } from '../../platform/errors/twoFactorError';

/**
 * A code sent by SMS: this plugin's own (the challenge holds its digest), or Twilio Verify's,
 * which Twilio checks.
 */
export function createSmsVerifier({ sms, factors }: { sms: SmsDeliveryService; factors: FactorService }): CodeVerifier {
  return {
    method: 'sms',
    format: DIGIT_CODE_FORMAT,
    sent: true,
    judgedByChallenge: () => !sms.providerChecksCodes(),
    async verify(challenge, code) {
      // A decoy phone sign-in has no verification at Twilio: wrong, like any wrong code.
      if (challenge.userId === null) return false;
      const verdict = await sms.checkProviderCode(challenge.phone ?? '', code);
      if (verdict === 'expired') throw twoFactorError('CODE_EXPIRED');
      return verdict === 'approved';
    },
    async onConsumed(challenge) {
      if (challenge.factorId !== null) await factors.markUsed(challenge.factorId);
    },
  };
}
