import { hkdfSync } from 'node:crypto';

export interface SecretKeys {
  /** HMAC-SHA-256 key for codes at rest. */
  codeHmacKey: Buffer;
  /** AES-256-GCM key for TOTP secrets at rest. */
  encryptionKey: Buffer;
}

// A fixed salt is fine for HKDF when the input is already a high-entropy secret (RFC 5869 §3.1);
// distinct `info` strings keep the derived keys independent.
const SALT = 'strapi-plugin-two-factor';

function derive(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, info, 32));
}

export function deriveSecretKeys(secret: string): SecretKeys {
  return {
    codeHmacKey: derive(secret, 'code-hmac-v1'),
    encryptionKey: derive(secret, 'secret-encryption-v1'),
  };
}
