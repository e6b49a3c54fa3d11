import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA-256 of a code, bound to what it was issued for (a challenge's token hash), so a
 * code at rest says nothing and a code of one challenge never matches another (ASVS 2.7.6).
 */
export function digestCode(key: Buffer, boundTo: string, code: string): string {
  return createHmac('sha256', key).update(`${boundTo}\u0000${code}`, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function isSameDigest(expectedHex: string, actualHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const actual = Buffer.from(actualHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
