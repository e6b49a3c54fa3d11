import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, SecretDecryptionError } from './secretCipher';

describe('secret cipher', () => {
  const key = randomBytes(32);
  const secret = randomBytes(20);

  it('should round-trip a secret', () => {
    expect(decryptSecret(key, encryptSecret(key, secret, 'user:1'), 'user:1').equals(secret)).toBe(true);
  });

  it('should not contain the secret in any encoding', () => {
    const sealed = encryptSecret(key, secret, 'user:1');
    for (const encoding of ['hex', 'base64', 'base64url'] as const)
      expect(sealed).not.toContain(secret.toString(encoding));
  });

  it('should use a new nonce each time', () => {
    expect(encryptSecret(key, secret, 'user:1')).not.toBe(encryptSecret(key, secret, 'user:1'));
  });

  it('should refuse another key, another owner and a tampered ciphertext', () => {
    const sealed = encryptSecret(key, secret, 'user:1');
    expect(() => decryptSecret(randomBytes(32), sealed, 'user:1')).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, sealed, 'user:2')).toThrow(SecretDecryptionError);
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x'.repeat(20)).toString('base64url')].join('.');
    expect(() => decryptSecret(key, tampered, 'user:1')).toThrow(SecretDecryptionError);
  });
});
