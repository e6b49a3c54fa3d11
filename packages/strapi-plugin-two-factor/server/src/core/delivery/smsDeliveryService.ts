import type { Core } from '@strapi/strapi';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { AfterResponseQueue } from '../../platform/queue/afterResponseQueue';
import { createSmsSender } from '../../platform/sms/createSmsSender';
import { maskPhone } from '../../platform/sms/maskPhone';
import { renderSmsTemplate } from '../../platform/sms/renderSmsTemplate';
import { SmsDeliveryError } from '../../platform/sms/smsDeliveryError';
import type { SmsCheckResult, SmsSender } from '../../platform/sms/smsSender';
import type { LimitName, RateLimitService } from '../rate-limits/rateLimitService';
import type { SettingsService } from '../settings/settingsService';

/**
 * Which per-number budget a send draws on: `phone-only` for sends anyone who knows the
 * number can ask for (phone sign-in and sign-up), `account` for sends after a right password
 * or for a signed-in user. Spending one never spends the other (DESIGN.md, limits).
 */
export type SmsBudget = 'phone-only' | 'account';

export interface SmsDeliveryService {
  /** True when the provider makes and checks codes itself (Twilio Verify). */
  providerChecksCodes(): boolean;
  /**
   * Sends `code` to `phone` and waits: the caller learns at once that the number is wrong
   * (`sms/setup`, `phone/register`, a resend). Delivery failures become the contract's errors.
   */
  sendCodeNow(phone: string, code: string, budget: SmsBudget, ip?: string): Promise<void>;
  /**
   * Queues `code` for after the response, where Twilio's latency and failures must not show
   * (login step 1, `phone/login`, `phone/resend`). The budgets are still charged at once.
   */
  sendCodeLater(phone: string, code: string, budget: SmsBudget): Promise<void>;
  /**
   * Queues a security notice for after the response, on the notices' own per-number budget
   * (never a sign-in one); `onFailure` runs when it cannot leave (budget spent, or the sender
   * gave up). Not for Twilio Verify.
   */
  sendNoticeLater(phone: string, text: string, onFailure: () => void): Promise<void>;
  /**
   * Charges the hourly budgets of the number (the one `budget` names) and of the whole app,
   * and of `ip` when given (DESIGN.md, SMS pumping); throws `SMS_BUDGET_EXCEEDED` (429) when
   * one is spent, having charged none. Charged for unknown numbers too where an answer must
   * not tell them apart.
   */
  chargeBudgets(phone: string, budget: SmsBudget, ip?: string): Promise<void>;
  /** Queues `code` for after the response; the budgets must already have been charged. */
  enqueueCode(phone: string, code: string): void;
  /** Asks the provider whether `code` is right (Twilio Verify only). */
  checkProviderCode(phone: string, code: string): Promise<SmsCheckResult>;
  /** Resolves when every queued SMS has been sent or given up. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createSmsDeliveryService({
  strapi,
  rateLimits,
  settings,
}: {
  strapi: Core.Strapi;
  rateLimits: RateLimitService;
  settings: SettingsService;
}): SmsDeliveryService {
  let sender: SmsSender | undefined;
  let queue: AfterResponseQueue | undefined;

  const config = () => settings.config();
  const getSender = (): SmsSender => {
    sender ??= createSmsSender(config(), strapi.log);
    return sender;
  };
  const getQueue = (): AfterResponseQueue => {
    queue ??= new AfterResponseQueue({ logger: strapi.log });
    return queue;
  };

  /** Takes one point of each limit in turn; when one refuses, the ones taken are given back. */
  async function chargeAll(charges: ReadonlyArray<readonly [LimitName, string]>): Promise<void> {
    const limits = rateLimits;
    const taken: Array<readonly [LimitName, string]> = [];
    try {
      for (const charge of charges) {
        await limits.consume(charge[0], charge[1], 'SMS_BUDGET_EXCEEDED');
        taken.push(charge);
      }
    } catch (error) {
      // A refused send charges nothing: not the global budget, not the caller's address.
      for (const [limit, key] of taken) await limits.refund(limit, key);
      throw error;
    }
  }

  /** Against SMS pumping: per number and for the whole app, per hour (DESIGN.md defaults). */
  async function chargeBudgets(phone: string, budget: SmsBudget, ip?: string): Promise<void> {
    const numberLimit: LimitName = budget === 'phone-only' ? 'sms-number-phone-only' : 'sms-number';
    // The narrowest budget first, so the usual refusal takes nothing from the wider ones.
    await chargeAll([
      [numberLimit, phone],
      ...(ip === undefined ? [] : [['sms-ip', ip] as const]),
      ['sms-global', 'all'],
    ]);
  }

  function enqueue(phone: string, body: string, label: string, onFailure?: () => void): void {
    getQueue().enqueue(() => getSender().send({ to: phone, body }), `SMS ${label} to ${maskPhone(phone)}`, onFailure);
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

    async sendCodeNow(phone, code, budget, ip) {
      await chargeBudgets(phone, budget, ip);
      try {
        await getSender().send({ to: phone, body: render(code) });
      } catch (error) {
        throw toContractError(error);
      }
    },

    async sendCodeLater(phone, code, budget) {
      await chargeBudgets(phone, budget);
      this.enqueueCode(phone, code);
    },

    async sendNoticeLater(phone, text, onFailure) {
      try {
        await chargeAll([['sms-notice-number', phone]]);
      } catch {
        onFailure();
        return;
      }
      enqueue(phone, text, 'notice', onFailure);
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
