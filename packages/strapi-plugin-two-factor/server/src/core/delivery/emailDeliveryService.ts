import type { Core } from '@strapi/strapi';
import { maskEmail } from '../../platform/email/maskEmail';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { AfterResponseQueue } from '../../platform/queue/afterResponseQueue';
import type { RateLimitService } from '../rate-limits/rateLimitService';
import type { SettingsService } from '../settings/settingsService';

export interface EmailDeliveryService {
  /** Sends a code by email and waits: failures are told (enrolment, resend). */
  sendCodeNow(email: string, code: string): Promise<void>;
  /** Queues a code for after the response (login step 1). Budgets are charged at once. */
  sendCodeLater(email: string, code: string): Promise<void>;
  /**
   * Runs mail work after the response, on the same queue (Strapi's own password-reset mail):
   * its time never shows in the answer, and shutdown waits for it before the database closes.
   */
  runLater(job: () => Promise<void>, label: string): void;
  drain(): Promise<void>;
  close(): Promise<void>;
}

interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Email codes through Strapi's email plugin (`@strapi/email` and its provider), same rules as SMS. */
export function createEmailDeliveryService({
  strapi,
  rateLimits,
  settings,
}: {
  strapi: Core.Strapi;
  rateLimits: RateLimitService;
  settings: SettingsService;
}): EmailDeliveryService {
  let queue: AfterResponseQueue | undefined;

  function message(email: string, code: string): EmailMessage {
    const { appName, codeLifetimeSeconds } = settings.config();
    const minutes = Math.ceil(codeLifetimeSeconds / 60);
    return {
      to: email,
      subject: `${code} is your ${appName} verification code`,
      text: `${code} is your ${appName} verification code. It expires in ${minutes} minutes.\n\nIf you did not try to sign in, change your password.`,
    };
  }

  async function send(mail: EmailMessage): Promise<void> {
    await strapi.plugin('email').service('email').send(mail);
  }

  async function chargeBudgets(email: string): Promise<void> {
    const limits = rateLimits;
    // One hourly budget per address, like a phone number's (against mail bombing).
    await limits.consume('sms-number', `email:${email.toLowerCase()}`, 'SMS_BUDGET_EXCEEDED');
  }

  return {
    async sendCodeNow(email, code) {
      await chargeBudgets(email);
      try {
        await send(message(email, code));
      } catch (error) {
        // The provider's message may hold the address; never the code.
        strapi.log.warn(`[two-factor] email to ${maskEmail(email)} could not be sent: ${(error as Error).name}`);
        throw twoFactorError('EMAIL_DELIVERY_FAILED');
      }
    },

    async sendCodeLater(email, code) {
      await chargeBudgets(email);
      const mail = message(email, code);
      queue ??= new AfterResponseQueue({ logger: strapi.log });
      queue.enqueue(() => send(mail), `email code to ${maskEmail(email)}`);
    },

    runLater(job, label) {
      queue ??= new AfterResponseQueue({ logger: strapi.log });
      queue.enqueue(job, label);
    },

    drain: async () => queue?.drain(),
    close: async () => queue?.close(),
  };
}
