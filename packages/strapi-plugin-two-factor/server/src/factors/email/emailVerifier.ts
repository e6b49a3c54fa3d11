import { type CodeVerifier, DIGIT_CODE_FORMAT } from '../../core/challenges/codeVerifier';
import type { FactorService } from '../../core/factors/factorService';

/** A code sent by email: always this plugin's own, judged by the challenge's digest. */
export function createEmailVerifier({ factors }: { factors: FactorService }): CodeVerifier {
  return {
    method: 'email',
    format: DIGIT_CODE_FORMAT,
    sent: true,
    judgedByChallenge: () => true,
    // The challenge's digest judges every email code: nothing else ever holds one.
    verify: async () => false,
    async onConsumed(challenge) {
      if (challenge.factorId !== null) await factors.markUsed(challenge.factorId);
    },
  };
}
