import { describe, expect, it } from 'vitest';
import type { TwoFactorConfig } from '../config/pluginConfigSchema';
import { InvalidPluginConfigError, validatePluginConfig } from '../config/validatePluginConfig';
import { createSmsSender } from './createSmsSender';
import type { SmsLogger } from './smsLogger';

const logger: SmsLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const twilio = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'token' };

describe('createSmsSender', () => {
  it('should pick the console sender by default', () => {
    expect(createSmsSender(validatePluginConfig({}), logger).provider).toBe('console');
  });

  it('should pick Twilio Messaging for "twilio"', () => {
    const config = validatePluginConfig({ sms: { provider: 'twilio', twilio: { ...twilio, from: '+15005550006' } } });
    expect(createSmsSender(config, logger)).toMatchObject({ provider: 'twilio', checksCodes: false });
  });

  it('should pick Twilio Verify for "twilio-verify"', () => {
    const config = validatePluginConfig({
      sms: { provider: 'twilio-verify', twilio: { ...twilio, verifyServiceSid: `VA${'b'.repeat(32)}` } },
    });
    expect(createSmsSender(config, logger)).toMatchObject({ provider: 'twilio-verify', checksCodes: true });
  });

  it("should wrap the app's function", () => {
    const config = validatePluginConfig({ sms: { provider: async () => undefined } });
    expect(createSmsSender(config, logger).provider).toBe('custom');
  });

  it('should name the missing option when the config skipped validation', () => {
    const valid = validatePluginConfig({});
    const config: TwoFactorConfig = { ...valid, sms: { ...valid.sms, provider: 'twilio' } };
    expect(() => createSmsSender(config, logger)).toThrow(InvalidPluginConfigError);
    expect(() => createSmsSender(config, logger)).toThrow('"sms.twilio.accountSid"');
  });
});
