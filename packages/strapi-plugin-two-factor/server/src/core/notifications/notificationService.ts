import type { Core } from '@strapi/strapi';
import type { UserStore } from '../../platform/stores/userStore';
import type { SmsDeliveryService } from '../delivery/smsDeliveryService';
import type { FactorService } from '../factors/factorService';
import type { SettingsService } from '../settings/settingsService';

/** The notice sent when wrong codes lock an account. */
export const ACCOUNT_LOCKED_NOTICE = 'your account was locked after too many wrong codes';

export interface NotificationService {
  /**
   * Tells the user their two-step settings changed (OWASP MFA: notify on factor changes):
   * by SMS to each number they have (and `extraPhones`), else by email when Strapi's email
   * plugin has a real provider. Sent after the response; never holds a code or secret.
   */
  securityChange(userId: number, what: string, extraPhones?: string[]): Promise<void>;
}

export function createNotificationService({
  strapi,
  factors: factorService,
  settings,
  sms: smsDelivery,
  users,
}: {
  strapi: Core.Strapi;
  factors: FactorService;
  settings: SettingsService;
  sms: SmsDeliveryService;
  users: UserStore;
}): NotificationService {
  /** The notice by email, when Strapi's email plugin has a real provider; sent after the response. */
  async function emailNotice(userId: number, subject: string, text: string): Promise<void> {
    const provider = strapi.config.get<string | undefined>('plugin::email.provider');
    const user = await users.findById(userId);
    // Strapi's default `sendmail` provider is no configuration at all: do not fire into the void.
    if (typeof user?.email !== 'string' || provider === undefined || provider === 'sendmail') {
      strapi.log.info(`[two-factor] no channel to notify user ${userId} of a security change`);
      return;
    }
    const email = user.email;
    setImmediate(() => {
      strapi
        .plugin('email')
        .service('email')
        .send({ to: email, subject, text })
        .catch((error: unknown) => strapi.log.warn(`[two-factor] notice email failed: ${(error as Error).message}`));
    });
  }

  return {
    async securityChange(userId, what, extraPhones = []) {
      const { appName } = settings.config();
      const text = `${appName}: ${what}. If this was not you, contact support and change your password.`;
      const subject = `${appName}: two-step verification changed`;
      const factors = await factorService.activeFactors(userId);
      const phones = [
        ...new Set([
          ...factors.flatMap((f) => (f.type === 'sms' && f.phone !== null ? [f.phone] : [])),
          ...extraPhones,
        ]),
      ];
      const sms = smsDelivery;
      if (phones.length === 0 || sms.providerChecksCodes()) return emailNotice(userId, subject, text);
      // When the SMS cannot leave (the notices' budget is spent, or the sender gave up), the
      // notice falls back to email, once however many numbers failed (ASVS 6.3.4/6.3.6).
      let fellBack = false;
      const fallBackToEmail = (): void => {
        if (fellBack) return;
        fellBack = true;
        emailNotice(userId, subject, text).catch((error: unknown) =>
          strapi.log.warn(`[two-factor] notice email failed: ${(error as Error).message}`),
        );
      };
      for (const phone of phones) await sms.sendNoticeLater(phone, text, fallBackToEmail);
    },
  };
}
