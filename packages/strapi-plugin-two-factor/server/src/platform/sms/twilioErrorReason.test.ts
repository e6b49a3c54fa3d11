import { describe, expect, it } from 'vitest';
import { twilioErrorReason } from './twilioErrorReason';

describe('twilioErrorReason', () => {
  it.each([
    [21211, 'invalid-phone'],
    [21614, 'invalid-phone'],
    [21612, 'invalid-phone'],
    [21610, 'invalid-phone'],
    [60200, 'invalid-phone'],
    [60205, 'invalid-phone'],
    [21408, 'country-not-allowed'],
    [60605, 'country-not-allowed'],
    [20429, 'rate-limited'],
    [60203, 'rate-limited'],
    [60212, 'rate-limited'],
    [20003, 'unavailable'],
    [21608, 'unavailable'],
    [21606, 'unavailable'],
    [20503, 'unavailable'],
  ] as const)('should map Twilio error %i to %s', (twilioCode, reason) => {
    expect(twilioErrorReason({ twilioCode, httpStatus: 400 })).toBe(reason);
  });

  it('should treat a code it does not know as unavailable', () => {
    expect(twilioErrorReason({ twilioCode: 99999, httpStatus: 400 })).toBe('unavailable');
  });

  it('should treat a bare 429 as rate-limited', () => {
    expect(twilioErrorReason({ httpStatus: 429 })).toBe('rate-limited');
  });

  it('should treat a 5xx without a code as unavailable', () => {
    expect(twilioErrorReason({ httpStatus: 502 })).toBe('unavailable');
  });
});
