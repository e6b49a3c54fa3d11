import { describe, expect, it } from 'vitest';
import { canonicalRecoveryCode, generateRecoveryCode } from './recoveryCodeFormat';

describe('recovery codes', () => {
  it('should be 10 Crockford base32 characters shown as XXXXX-XXXXX', () => {
    for (let i = 0; i < 500; i += 1)
      expect(generateRecoveryCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('should not repeat', () => {
    const codes = new Set(Array.from({ length: 1000 }, generateRecoveryCode));
    expect(codes.size).toBe(1000);
  });

  it('should read what a person typed: case, spaces, dashes and look-alikes', () => {
    expect(canonicalRecoveryCode('abcde-fgh1k')).toBe('ABCDEFGH1K');
    expect(canonicalRecoveryCode(' ABCDE FGHIK ')).toBe('ABCDEFGH1K');
    expect(canonicalRecoveryCode('o0lLi-12345')).toBe('00111' + '12345');
  });

  it('should refuse what cannot be a code', () => {
    expect(canonicalRecoveryCode('ABCDE')).toBeUndefined();
    expect(canonicalRecoveryCode('ABCDE-FGHIJK')).toBeUndefined();
    expect(canonicalRecoveryCode('ABCDE-FGHU1')).toBeUndefined();
  });
});
