import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidPluginConfigError, validatePluginConfig } from '../../platform/config/validatePluginConfig';

const twilio = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'token', from: '+15005550006' };

describe('passkey options', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('should default to RP ID localhost, no origins and required user verification', () => {
    expect(validatePluginConfig({}).passkey).toEqual({ rpId: 'localhost', origins: [], userVerification: 'required' });
  });

  it('should accept a production relying party', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const config = validatePluginConfig({
      sms: { provider: 'twilio', twilio },
      passkey: {
        rpId: 'example.com',
        rpName: 'Example',
        origins: ['https://app.example.com'],
        userVerification: 'preferred',
      },
    });
    expect(config.passkey).toEqual({
      rpId: 'example.com',
      rpName: 'Example',
      origins: ['https://app.example.com'],
      userVerification: 'preferred',
    });
  });

  it('should refuse to start in production without origins, naming the option', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => validatePluginConfig({ sms: { provider: 'twilio', twilio } })).toThrow(
      /option "passkey\.origins" is required/,
    );
  });

  it.each([
    [{ rpId: 'https://example.com' }, 'passkey.rpId'],
    [{ rpId: '' }, 'passkey.rpId'],
    [{ origins: ['https://app.example.com/login'] }, 'passkey.origins.0'],
    [{ origins: 'https://app.example.com' }, 'passkey.origins'],
    [{ userVerification: 'discouraged' }, 'passkey.userVerification'],
    [{ attestation: 'direct' }, 'passkey'],
  ])('should refuse %j, naming %s', (passkey, option) => {
    try {
      validatePluginConfig({ passkey });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPluginConfigError);
      expect((error as Error).message).toContain(`"${option}"`);
    }
  });
});
