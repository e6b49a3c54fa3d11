import type { Core } from '@strapi/strapi';
import { twoFactorError } from '../errors/twoFactorError';
import { getService } from '../utils/getService';
import { createSmsSender } from './createSmsSender';
import { maskPhone } from './maskPhone';
import { renderSmsTemplate } from './renderSmsTemplate';
import { SmsDeliveryError } from './smsDeliveryError';
import { SmsQueue } from './smsQueue';
import type { SmsCheckResult, SmsSender } from './smsSender';

export interface SmsDeliveryService {
  /** True when the provider makes and checks codes itself (Twilio Verify). */
  providerChecksCodes(): boolean;
  /**
   * Sends `code` to `phone` and waits: the caller learns at once that the number is wrong
   * (`sms/setup`, `phone/register`, a resend). Delivery failures become the contract's errors.
   */
  sendCodeNow(phone: string, code: string, ip?: string): Promise<void>;
  /**
   * Queues `code` for after the response, where Twilio's latency and failures must not show
   * (login step 1, `phone/login`, `phone/resend`). The budgets are still charged at once.
   */
  sendCodeLater(phone: string, code: string): Promise<void>;
  /** Queues a plain text (a security notice) for after the response; not for Twilio Verify. */
  sendTextLater(phone: string, text: string): Promise<void>;
  /**
   * Charges the hourly budgets of the number and of the whole app, and of `ip` when given
   * (DESIGN.md, SMS pumping); throws `SMS_BUDGET_EXCEEDED` (429) when one is spent. Charged
   * for unknown numbers too where an answer must not tell them apart.
   */
  chargeBudgets(phone: string, ip?: string): Promise<void>;
  /** Queues `code` for after the response; the budgets must already have been charged. */
  enqueueCode(phone: string, code: string): void;
  /** Asks the provider whether `code` is right (Twilio Verify only). */
  checkProviderCode(phone: string, code: string): Promise<SmsCheckResult>;
  /** Resolves when every queued SMS has been sent or given up. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createSmsDeliveryService({ strapi }: { strapi: Core.Strapi }): SmsDeliveryService {
  let sender: SmsSender | undefined;
  let queue: SmsQueue | undefined;

  const config = () => getService(strapi, 'settings').config();
  const getSender = (): SmsSender => {
    sender ??= createSmsSender(config(), strapi.log);
    return sender;
  };
  const getQueue = (): SmsQueue => {
    queue ??= new SmsQueue({ logger: strapi.log });
    return queue;
  };

  /** Against SMS pumping: per number and for the whole app, per hour (DESIGN.md defaults). */
  async function chargeBudgets(phone: string, ip?: string): Promise<void> {
    const limits = getService(strapi, 'rateLimits');
    if (ip !== undefined) await limits.consume('sms-ip', ip, 'SMS_BUDGET_EXCEEDED');
    await limits.consume('sms-global', 'all', 'SMS_BUDGET_EXCEEDED');
    await limits.consume('sms-number', phone, 'SMS_BUDGET_EXCEEDED');
  }

  function enqueue(phone: string, body: string, label: string): void {
    getQueue().enqueue(() => getSender().send({ to: phone, body }), `${label} to ${maskPhone(phone)}`);
  }

  function render(code: string): string {
    const { sms, appName, codeLifetimeSeconds } = config();
    return renderSmsTemplate(sms.template, { code, appName, codeLifetimeSeconds });
  }

  function toContractError(error: unknown): unknown {
    if (!(error instanceof SmsDeliveryError)) return error;
    switch (error.reason) {
      case 'invalid-phone':
        return twoFactorError('INVALID_PHONE');
      case 'country-not-allowed':
        return twoFactorError('COUNTRY_NOT_ALLOWED');
      case 'rate-limited':
        return twoFactorError('SMS_RATE_LIMITED', { retryAfterSeconds: error.retryAfterSeconds ?? 60 });
      default:
        // The message names the Twilio code or the failure, never the body (it holds the code).
        strapi.log.warn(`[two-factor] SMS could not be sent: ${error.message}`);
        return twoFactorError('SMS_DELIVERY_FAILED');
    }
  }

  return {
    providerChecksCodes: () => getSender().checksCodes,

    async sendCodeNow(phone, code, ip) {
      await chargeBudgets(phone, ip);
      try {
        await getSender().send({ to: phone, body: render(code) });
      } catch (error) {
        throw toContractError(error);
      }
    },

    async sendCodeLater(phone, code) {
      await chargeBudgets(phone);
      this.enqueueCode(phone, code);
    },

    async sendTextLater(phone, text) {
      await chargeBudgets(phone);
      enqueue(phone, text, 'notice');
    },

    chargeBudgets,

    enqueueCode(phone, code) {
      enqueue(phone, render(code), 'code');
    },

    async checkProviderCode(phone, code) {
      try {
        return await getSender().check({ to: phone, code });
      } catch (error) {
        throw toContractError(error);
      }
    },

    drain: async () => queue?.drain(),
    close: async () => queue?.close(),
  };
}
