import { describe, expect, it } from 'vitest';
import { generateTotpCode, matchTotpStep, type TotpAlgorithm } from './totpCode';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** RFC 6238 Appendix B: the seeds are ASCII digits of 20, 32 and 64 bytes. */
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  sha1: ascii('12345678901234567890'),
  sha256: ascii('12345678901234567890123456789012'),
  sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

const RFC_6238_APPENDIX_B: [number, TotpAlgorithm, string][] = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

/** RFC 4226 Appendix D: HOTP of counter 0–9; TOTP is HOTP of the step number (RFC 6238 §4.2). */
const RFC_4226_APPENDIX_D = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

describe('TOTP codes', () => {
  it.each(RFC_6238_APPENDIX_B)('should give the RFC 6238 value at T=%i with %s', (time, algorithm, expected) => {
    expect(generateTotpCode(SEEDS[algorithm], time, { algorithm, digits: 8 })).toBe(expected);
  });

  it.each(RFC_4226_APPENDIX_D.map((code, counter) => [counter, code] as const))(
    'should give the RFC 4226 HOTP value for counter %i',
    (counter, expected) => {
      expect(generateTotpCode(SEEDS.sha1, counter * 30)).toBe(expected);
    },
  );

  it('should accept the previous, current and next step and nothing further', () => {
    const now = 1_700_000_015;
    const step = Math.floor(now / 30);
    for (const offset of [-1, 0, 1]) {
      const code = generateTotpCode(SEEDS.sha1, (step + offset) * 30);
      expect(matchTotpStep(SEEDS.sha1, code, now)).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      const code = generateTotpCode(SEEDS.sha1, (step + offset) * 30);
      const matched = matchTotpStep(SEEDS.sha1, code, now);
      // A far-away code matches only if it happens to equal a nearby one (1 in 10^6).
      if (matched !== undefined) expect(Math.abs(matched - step)).toBeLessThanOrEqual(1);
    }
  });

  it('should refuse codes of another length', () => {
    const code = generateTotpCode(SEEDS.sha1, 1_700_000_000);
    expect(matchTotpStep(SEEDS.sha1, code.slice(1), 1_700_000_000)).toBeUndefined();
    expect(matchTotpStep(SEEDS.sha1, `${code}0`, 1_700_000_000)).toBeUndefined();
  });
});
