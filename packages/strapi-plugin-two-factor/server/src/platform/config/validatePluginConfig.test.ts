import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidPluginConfigError, validatePluginConfig } from './validatePluginConfig';

const twilio = {
  accountSid: `AC${'a'.repeat(32)}`,
  authToken: 'token',
  from: '+15005550006',
};

describe('validatePluginConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("should fill in DESIGN.md's defaults", () => {
    const config = validatePluginConfig({});
    expect(config).toMatchObject({
      codeLength: 6,
      codeLifetimeSeconds: 300,
      challengeLifetimeSeconds: 600,
      maxAttemptsPerChallenge: 5,
      maxConsecutiveFailures: 10,
      lockoutSeconds: 900,
      resendCooldownSeconds: 30,
      maxSendsPerChallenge: 5,
      maxSmsPerNumberPerHour: 10,
      maxSmsPerHour: 1000,
      maxSmsPerIpPerHour: 30,
      maxWrongPasswordsPerAccount: 100,
      wrongPasswordWindowSeconds: 3600,
      trustedDeviceLifetimeSeconds: 30 * 24 * 60 * 60,
      maxTrustedDevicesPerUser: 10,
      endOtherSessionsOnFactorChange: true,
      sms: {
        provider: 'console',
        twilio: { apiBaseUrl: 'https://api.twilio.com', requestTimeoutMilliseconds: 10_000 },
      },
      phone: { signInEnabled: false, allowedCountries: [] },
    });
  });

  it.each([
    [{ endOtherSessionsOnFactorChange: 'yes' }, 'endOtherSessionsOnFactorChange'],
    [{ codeLifetimeSeconds: 601 }, 'codeLifetimeSeconds'],
    [{ codeLength: 5 }, 'codeLength'],
    [{ codeLength: 9 }, 'codeLength'],
    [{ maxAttemptsPerChallenge: 0 }, 'maxAttemptsPerChallenge'],
    [{ maxConsecutiveFailures: 101 }, 'maxConsecutiveFailures'],
    [{ resendCooldownSeconds: 29 }, 'resendCooldownSeconds'],
    [{ maxSmsPerNumberPerHour: 51 }, 'maxSmsPerNumberPerHour'],
    [{ maxWrongPasswordsPerAccount: 101 }, 'maxWrongPasswordsPerAccount'],
    [{ phone: { allowedCountries: ['usa'] } }, 'phone.allowedCountries.0'],
    [{ sms: { provider: 'carrier-pigeon' } }, 'sms.provider'],
    [{ encryptionKey: 'short' }, 'encryptionKey'],
  ])('should refuse %o and name the option', (input, option) => {
    expect(() => validatePluginConfig(input)).toThrow(InvalidPluginConfigError);
    expect(() => validatePluginConfig(input)).toThrow(`"${option}"`);
  });

  it('should say what it got for an out-of-bounds number', () => {
    expect(() => validatePluginConfig({ codeLifetimeSeconds: 900 })).toThrow(
      'option "codeLifetimeSeconds": Too big: expected number to be <=600 (got 900)',
    );
  });

  it('should refuse a colon in appName, naming the option', () => {
    expect(() => validatePluginConfig({ appName: 'Acme: Staging' })).toThrow(
      'option "appName" must not contain ":" (it is the TOTP issuer in otpauth URIs)',
    );
  });

  it('should accept an appName with spaces', () => {
    expect(validatePluginConfig({ appName: 'Acme Co' }).appName).toBe('Acme Co');
  });

  it('should refuse options it does not know, so a typo is not silently ignored', () => {
    expect(() => validatePluginConfig({ codeLifetime: 300 })).toThrow('unknown option: "codeLifetime"');
  });

  it('should require Twilio credentials and a sender for the twilio provider', () => {
    expect(() => validatePluginConfig({ sms: { provider: 'twilio' } })).toThrow('"sms.twilio.accountSid" is required');
    expect(() => validatePluginConfig({ sms: { provider: 'twilio', twilio: { ...twilio, from: undefined } } })).toThrow(
      '"sms.twilio.from" or sms.twilio.messagingServiceSid is required',
    );
    expect(validatePluginConfig({ sms: { provider: 'twilio', twilio } }).sms.provider).toBe('twilio');
  });

  it('should require a Verify service for the twilio-verify provider', () => {
    expect(() => validatePluginConfig({ sms: { provider: 'twilio-verify', twilio } })).toThrow(
      '"sms.twilio.verifyServiceSid" is required',
    );
  });

  it('should refuse the console provider in production', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => validatePluginConfig({})).toThrow('"sms.provider" "console" prints codes to the log');
  });

  it('should accept a function as the SMS provider', () => {
    const send = async (): Promise<void> => {};
    expect(validatePluginConfig({ sms: { provider: send } }).sms.provider).toBe(send);
  });

  it('should refuse a resend cooldown as long as the code lifetime', () => {
    expect(() => validatePluginConfig({ codeLifetimeSeconds: 60, resendCooldownSeconds: 60 })).toThrow(
      '"resendCooldownSeconds" must be shorter than codeLifetimeSeconds',
    );
  });
});
