import type { Core } from '@strapi/strapi';
import type { ClockService } from '../clock/clockService';
import { twoFactorError } from '../errors/twoFactorError';
import { FACTOR_UID, type FactorRow } from '../factors/factorService';
import type { ChallengeService } from '../login-challenge/challengeService';
import type { ChallengeDescription } from '../login-challenge/loginFlowService';
import { normalizePhone } from '../phone/normalizePhone';
import type { SettingsService } from '../settings/settingsService';
import { maskPhone } from '../sms/maskPhone';
import type { SmsDeliveryService } from '../sms/smsDeliveryService';

export interface PhoneLoginService {
  /**
   * Opens a phone sign-in challenge. Unknown numbers get the same status, body and work (a
   * decoy challenge that no code opens) and no SMS: nothing tells them apart.
   */
  start(phone: unknown, ip: string): Promise<{ challenge: ChallengeDescription }>;
}

export function createPhoneLoginService({
  strapi,
  challenges,
  clock,
  settings,
  sms: smsDelivery,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  settings: SettingsService;
  sms: SmsDeliveryService;
}): PhoneLoginService {
  return {
    async start(phoneInput, ip) {
      const config = settings.config();
      if (!config.phone.signInEnabled) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const phone = normalizePhone(phoneInput, config.phone);
      await smsDelivery.chargeBudgets(phone, 'phone-only', ip);

      const factor = (await strapi.db
        .query(FACTOR_UID)
        .findOne({ where: { claimedPhone: phone, status: 'active', type: 'sms' } })) as FactorRow | null;
      // Looked up for unknown numbers too, so both paths do the same queries.
      const user = (await strapi.db
        .query('plugin::users-permissions.user')
        .findOne({ where: { id: factor?.userId ?? 0 } })) as { id: number; blocked?: boolean } | null;
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
