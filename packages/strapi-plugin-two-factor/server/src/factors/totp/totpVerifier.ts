import type { CodeVerifier } from '../../core/challenges/codeVerifier';
import { DIGIT_CODE_FORMAT } from '../../core/challenges/codeVerifier';
import type { TotpFactorService } from './totpFactorService';

/** A code from the user's authenticator app; each time step is accepted once (replay). */
export function createTotpVerifier({ totp }: { totp: TotpFactorService }): CodeVerifier {
  return {
    method: 'totp',
    format: DIGIT_CODE_FORMAT,
    sent: false,
    judgedByChallenge: () => false,
    async verify(challenge, code) {
      return challenge.userId !== null && totp.consumeCode(challenge.userId, code);
    },
  };
}
