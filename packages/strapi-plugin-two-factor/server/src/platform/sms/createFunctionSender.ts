import type { SmsSenderFunction } from '../config/pluginOptions';
import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import { SmsDeliveryError } from './smsDeliveryError';
import type { SmsSender } from './smsSender';

/** Sends through the function the app configured as `sms.provider`. */
export function createFunctionSender(sendSms: SmsSenderFunction): SmsSender {
  return {
    provider: 'custom',
    checksCodes: false,
    async send(message): Promise<void> {
      try {
        await sendSms({ to: message.to, body: message.body });
      } catch (error) {
        if (error instanceof SmsDeliveryError) throw error;
        // The app's error may quote the body (and so the code); it stays only in `cause`,
        // and the message names nothing but its class.
        const kind = error instanceof Error ? error.name : typeof error;
        throw new SmsDeliveryError('unavailable', `The app's SMS function failed (${kind})`, { cause: error });
      }
    },
    async check(): Promise<never> {
      throw new SmsCheckNotSupportedError('custom');
    },
  };
}
