import { describe, expect, it } from 'vitest';
import { encodeBase32 } from './encodeBase32';

describe('encodeBase32', () => {
  // RFC 4648 §10, padding removed (otpauth URIs carry no padding).
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('should encode %o as %o', (input, expected) => {
    expect(encodeBase32(new TextEncoder().encode(input))).toBe(expected);
  });

  it('should encode a 160-bit secret in 32 characters', () => {
    expect(encodeBase32(new Uint8Array(20).fill(255))).toBe('7'.repeat(32));
  });
});
