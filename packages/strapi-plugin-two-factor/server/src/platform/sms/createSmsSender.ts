import type { TwoFactorConfig } from '../config/pluginConfigSchema';
import { InvalidPluginConfigError } from '../config/validatePluginConfig';
import { createConsoleSender } from './createConsoleSender';
import { createFunctionSender } from './createFunctionSender';
import { createTwilioMessagingSender } from './createTwilioMessagingSender';
import { createTwilioVerifySender } from './createTwilioVerifySender';
import type { SmsLogger } from './smsLogger';
import type { SmsSender } from './smsSender';

/**
 * The sender `sms.provider` names. The config validator has already required the Twilio
 * options each provider needs; they are checked again here only to narrow their types.
 */
export function createSmsSender(config: TwoFactorConfig, logger: SmsLogger): SmsSender {
  const { provider, twilio } = config.sms;
  if (typeof provider === 'function') return createFunctionSender(provider);
  if (provider === 'console') return createConsoleSender(logger);

  const required = (option: 'accountSid' | 'authToken' | 'verifyServiceSid'): string => {
    const value = twilio[option];
    if (value === undefined) {
      throw new InvalidPluginConfigError([
        `option "sms.twilio.${option}" is required when sms.provider is "${provider}"`,
      ]);
    }
    return value;
  };
  const connection = {
    accountSid: required('accountSid'),
    authToken: required('authToken'),
    requestTimeoutMilliseconds: twilio.requestTimeoutMilliseconds,
  };

  if (provider === 'twilio-verify') {
    return createTwilioVerifySender({
      ...connection,
      verifyServiceSid: required('verifyServiceSid'),
      verifyBaseUrl: twilio.verifyBaseUrl,
      appName: config.appName,
      logger,
    });
  }
  if (twilio.messagingServiceSid !== undefined) {
    return createTwilioMessagingSender({
      ...connection,
      apiBaseUrl: twilio.apiBaseUrl,
      messagingServiceSid: twilio.messagingServiceSid,
    });
  }
  if (twilio.from !== undefined) {
    return createTwilioMessagingSender({ ...connection, apiBaseUrl: twilio.apiBaseUrl, from: twilio.from });
  }
  throw new InvalidPluginConfigError([
    'option "sms.twilio.from" or sms.twilio.messagingServiceSid is required when sms.provider is "twilio"',
  ]);
}
