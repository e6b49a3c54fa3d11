import type { CodeVerifier } from '../../core/challenges/codeVerifier';
import type { EventService } from '../../core/events/eventService';
import type { RecoveryCodeService } from '../../core/recovery-codes/recoveryCodeService';

/** One of the user's single-use recovery codes, typed with or without its dashes and spaces. */
export function createRecoveryCodeVerifier({
  recoveryCodes,
  events,
}: {
  recoveryCodes: RecoveryCodeService;
  events: EventService;
}): CodeVerifier {
  return {
    method: 'recovery_code',
    format: /^[0-9A-Za-z\s-]{10,20}$/,
    sent: false,
    judgedByChallenge: () => false,
    async verify(challenge, code) {
      return challenge.userId !== null && recoveryCodes.consume(challenge.userId, code);
    },
    async onConsumed(challenge) {
      if (challenge.userId === null) return;
      await events.record('recovery-code.used', challenge.userId, { purpose: challenge.purpose });
    },
  };
}
