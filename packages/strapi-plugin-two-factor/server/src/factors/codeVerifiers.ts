import { type CodeVerifiers, registerCodeVerifiers } from '../core/challenges/codeVerifier';
import type { SmsDeliveryService } from '../core/delivery/smsDeliveryService';
import type { EventService } from '../core/events/eventService';
import type { FactorService } from '../core/factors/factorService';
import type { RecoveryCodeService } from '../core/recovery-codes/recoveryCodeService';
import { createEmailVerifier } from './email/emailVerifier';
import { createRecoveryCodeVerifier } from './recovery-codes/recoveryCodeVerifier';
import { createSmsVerifier } from './sms/smsVerifier';
import type { TotpFactorService } from './totp/totpFactorService';
import { createTotpVerifier } from './totp/totpVerifier';

/**
 * Every code method's verifier, registered once: the container and the unit tests' builder
 * both take the challenge service's verifiers from here, and `registerCodeVerifiers` refuses
 * a method registered twice or missing.
 */
export function createCodeVerifiers({
  sms,
  factors,
  totp,
  recoveryCodes,
  events,
}: {
  sms: SmsDeliveryService;
  factors: FactorService;
  totp: TotpFactorService;
  recoveryCodes: RecoveryCodeService;
  events: EventService;
}): CodeVerifiers {
  return registerCodeVerifiers([
    createSmsVerifier({ sms, factors }),
    createEmailVerifier({ factors }),
    createTotpVerifier({ totp }),
    createRecoveryCodeVerifier({ recoveryCodes, events }),
  ]);
}
