import type { ChallengeService } from '../../core/challenges/challengeService';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { normalizePhone } from '../../platform/phone/normalizePhone';
import { maskPhone } from '../../platform/sms/maskPhone';
import type { FactorStore } from '../../platform/stores/factorStore';
import type { UserStore } from '../../platform/stores/userStore';
import type { ChallengeDescription } from '../sign-in/loginFlowService';

export interface PhoneLoginService {
  /**
   * Opens a phone sign-in challenge. Unknown numbers get the same status, body and work (a
   * decoy challenge that no code opens) and no SMS: nothing tells them apart.
   */
  start(phone: unknown, ip: string): Promise<{ challenge: ChallengeDescription }>;
}

export function createPhoneLoginService({
  users,
  challenges,
  clock,
  settings,
  sms: smsDelivery,
  factorStore,
}: {
  users: UserStore;
  challenges: ChallengeService;
  clock: ClockService;
  settings: SettingsService;
  sms: SmsDeliveryService;
  factorStore: FactorStore;
}): PhoneLoginService {
  return {
    async start(phoneInput, ip) {
      const config = settings.config();
      if (!config.phone.signInEnabled) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const phone = normalizePhone(phoneInput, config.phone);
      await smsDelivery.chargeBudgets(phone, 'phone-only', ip);

      const factor = await factorStore.findActiveSmsByClaimedPhone(phone);
      // Looked up for unknown numbers too, so both paths do the same queries.
      const user = await users.findById(factor?.userId ?? 0);
      const known = factor !== null && user !== null && user.blocked !== true;

      const { token, challenge } = await challenges.create({
        purpose: 'phone-login',
        userId: known ? user.id : null,
        factorId: known ? factor.id : null,
        method: 'sms',
        phone,
      });
      const issued = await challenges.issueCode(challenge);
      if (known) smsDelivery.enqueueCode(phone, issued.code ?? '');
      const sentAt = clock.now().getTime();
      return {
        challenge: {
          token,
          expiresAt: new Date(challenge.expiresAt).toISOString(),
          methods: ['sms'],
          method: 'sms',
          sentTo: maskPhone(phone),
          resendAvailableAt: new Date(sentAt + config.resendCooldownSeconds * 1000).toISOString(),
        },
      };
    },
  };
}
