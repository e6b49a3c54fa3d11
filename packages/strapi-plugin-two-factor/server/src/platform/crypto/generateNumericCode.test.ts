import { describe, expect, it } from 'vitest';
import { generateNumericCode } from './generateNumericCode';

describe('generateNumericCode', () => {
  it.each([6, 7, 8])('should give exactly %i digits', (length) => {
    for (let i = 0; i < 200; i += 1) expect(generateNumericCode(length)).toMatch(new RegExp(`^\\d{${length}}$`));
  });

  it('should keep leading zeros and use every digit in every position', () => {
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    for (let i = 0; i < 2000; i += 1) {
      for (const [position, digit] of [...generateNumericCode(6)].entries()) seen[position]?.add(digit);
    }
    for (const digits of seen) expect(digits.size).toBe(10);
  });
});
