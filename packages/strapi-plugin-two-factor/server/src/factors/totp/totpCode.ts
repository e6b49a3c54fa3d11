import { timingSafeEqual } from 'node:crypto';
import { generateSync } from 'otplib';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParameters {
  /** @default 'sha1' (what authenticator apps implement; RFC 6238) */
  algorithm?: TotpAlgorithm;
  /** @default 6 */
  digits?: 6 | 7 | 8;
  /** @default 30 */
  periodInSeconds?: number;
}

/** The TOTP code for the time step that contains `timeInSeconds` (otplib, RFC 6238). */
export function generateTotpCode(secret: Uint8Array, timeInSeconds: number, parameters: TotpParameters = {}): string {
  return generateSync({
    secret,
    strategy: 'totp',
    algorithm: parameters.algorithm ?? 'sha1',
    digits: parameters.digits ?? 6,
    period: parameters.periodInSeconds ?? 30,
    epoch: timeInSeconds,
  });
}

/**
 * The time step `code` belongs to among the current one and one on each side (clock drift,
 * RFC 6238 §5.2), or `undefined`. Every candidate is compared, in constant time.
 */
export function matchTotpStep(
  secret: Uint8Array,
  code: string,
  timeInSeconds: number,
  parameters: TotpParameters = {},
): number | undefined {
  const periodInSeconds = parameters.periodInSeconds ?? 30;
  const currentStep = Math.floor(timeInSeconds / periodInSeconds);
  let matched: number | undefined;
  for (const step of [currentStep - 1, currentStep, currentStep + 1]) {
    const expected = Buffer.from(generateTotpCode(secret, step * periodInSeconds, parameters));
    const given = Buffer.from(code);
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = step;
  }
  return matched;
}
