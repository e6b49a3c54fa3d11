import { describe, expect, it } from 'vitest';
import { normalizePhone } from './normalizePhone';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { details?: { code?: string } }).details?.code;
  }
  return undefined;
};

describe('normalizePhone', () => {
  const us = { allowedCountries: [], defaultRegion: 'US' };

  it.each(['+14155550100', '(415) 555-0100', '415 555 0100', '415-555-0100', '+1 415 555 0100', ' +1.415.555.0100 '])(
    'should write %s as +14155550100',
    (input) => {
      expect(normalizePhone(input, us)).toBe('+14155550100');
    },
  );

  it('should need a + without a default region', () => {
    expect(codeOf(() => normalizePhone('415 555 0100', { allowedCountries: [] }))).toBe('INVALID_PHONE');
  });

  it.each(['', '123', 'phone', '+1 555 0100', '+999 123 456 789', 42, null, '1'.repeat(41)])(
    'should refuse %o with INVALID_PHONE',
    (input) => {
      expect(codeOf(() => normalizePhone(input, us))).toBe('INVALID_PHONE');
    },
  );

  it('should refuse a country outside the allowed list with COUNTRY_NOT_ALLOWED', () => {
    const rules = { allowedCountries: ['US', 'CA'] };
    expect(normalizePhone('+14155550100', rules)).toBe('+14155550100');
    expect(codeOf(() => normalizePhone('+33612345678', rules))).toBe('COUNTRY_NOT_ALLOWED');
  });
});
