import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import type { SmsLogger } from './smsLogger';
import type { SmsSender } from './smsSender';

/**
 * Prints each SMS, code included, to the log, so the flows can be tried without Twilio.
 * Development only: the config validator refuses `provider: 'console'` when
 * `NODE_ENV=production`, because the log would then hold live codes.
 */
export function createConsoleSender(logger: SmsLogger): SmsSender {
  return {
    provider: 'console',
    checksCodes: false,
    async send({ to, body }): Promise<void> {
      logger.info(`[two-factor] SMS to ${to}: ${body}`);
    },
    async check(): Promise<never> {
      throw new SmsCheckNotSupportedError('console');
    },
  };
}
