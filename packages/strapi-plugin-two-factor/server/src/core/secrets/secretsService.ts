import type { Core } from '@strapi/strapi';
import { deriveSecretKeys, type SecretKeys } from '../../platform/crypto/deriveSecretKeys';
import type { SettingsService } from '../settings/settingsService';

export interface SecretsService {
  /** Key for code digests: from the encryption key, else from Strapi's `APP_KEYS`. */
  codeHmacKey(): Buffer;
  /** Key for secrets at rest; `undefined` when no encryption key is configured. */
  encryptionKey(): Buffer | undefined;
}

export function createSecretsService({
  strapi,
  settings,
}: {
  strapi: Core.Strapi;
  settings: SettingsService;
}): SecretsService {
  let keys: SecretKeys | undefined;
  let fallbackKeys: SecretKeys | undefined;

  function fromEncryptionKey(): SecretKeys | undefined {
    if (keys !== undefined) return keys;
    const secret = settings.encryptionKey();
    keys = secret === undefined ? undefined : deriveSecretKeys(secret);
    return keys;
  }

  return {
    codeHmacKey() {
      const derived = fromEncryptionKey();
      if (derived !== undefined) return derived.codeHmacKey;
      // Codes need a key shared by every instance; Strapi always has APP_KEYS.
      fallbackKeys ??= deriveSecretKeys(strapi.config.get<string[]>('server.app.keys', []).join(','));
      return fallbackKeys.codeHmacKey;
    },
    encryptionKey() {
      return fromEncryptionKey()?.encryptionKey;
    },
  };
}
