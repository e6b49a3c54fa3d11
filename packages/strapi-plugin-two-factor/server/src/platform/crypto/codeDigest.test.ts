import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestCode, isSameDigest } from './codeDigest';
import { deriveSecretKeys } from './deriveSecretKeys';

describe('code digests', () => {
  const key = deriveSecretKeys('a-long-enough-secret-for-tests').codeHmacKey;

  it('should be HMAC-SHA-256 hex that does not contain the code', () => {
    const digest = digestCode(key, 'challenge-a', '123456');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain('123456');
  });

  it('should bind a code to what it was issued for', () => {
    expect(digestCode(key, 'challenge-a', '123456')).not.toBe(digestCode(key, 'challenge-b', '123456'));
  });

  it('should depend on the key', () => {
    const other = deriveSecretKeys('another-long-enough-secret').codeHmacKey;
    expect(digestCode(key, 'c', '123456')).not.toBe(digestCode(other, 'c', '123456'));
  });

  it('should compare digests for equality only', () => {
    const digest = digestCode(key, 'c', '123456');
    expect(isSameDigest(digest, digestCode(key, 'c', '123456'))).toBe(true);
    expect(isSameDigest(digest, digestCode(key, 'c', '123457'))).toBe(false);
    expect(isSameDigest(digest, 'abcd')).toBe(false);
  });

  it('should derive independent keys for codes and encryption', () => {
    const keys = deriveSecretKeys(randomBytes(32).toString('hex'));
    expect(keys.codeHmacKey.equals(keys.encryptionKey)).toBe(false);
    expect(keys.codeHmacKey).toHaveLength(32);
  });
});
