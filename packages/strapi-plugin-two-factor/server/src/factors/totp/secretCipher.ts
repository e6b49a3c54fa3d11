import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM for TOTP secrets at rest (ASVS 2.8.4): `v1.<iv>.<tag>.<ciphertext>`, base64url.
 * `context` (the owner) is authenticated data, so a ciphertext moved to another row fails.
 */
export function encryptSecret(key: Buffer, plaintext: Uint8Array, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a two-factor secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

export function decryptSecret(key: Buffer, sealed: string, context: string): Buffer {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new SecretDecryptionError(`unknown format "${version ?? ''}"`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    // A wrong key (encryptionKey changed) or a tampered row.
    throw new SecretDecryptionError('authentication failed');
  }
}
