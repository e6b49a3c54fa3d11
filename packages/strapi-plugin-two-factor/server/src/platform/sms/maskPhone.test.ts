import { describe, expect, it } from 'vitest';
import { maskPhone } from './maskPhone';

describe('maskPhone', () => {
  it('should show the country calling code and the last 4 digits', () => {
    expect(maskPhone('+14155550123')).toBe('+1 ••• ••• 0123');
  });

  it('should show a country calling code longer than one digit', () => {
    expect(maskPhone('+447700900123')).toBe('+44 ••• ••• 0123');
  });

  it('should hide at least half of a short national number', () => {
    expect(maskPhone('+6834001')).toBe('+683 ••• ••• 01');
  });

  it('should hide the country code of a number it cannot parse', () => {
    expect(maskPhone('0123456789')).toBe('••• ••• 6789');
  });

  it('should show no digit of a string without enough of them', () => {
    expect(maskPhone('x')).toBe('••• •••');
  });
});
