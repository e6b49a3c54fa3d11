import { randomInt } from 'node:crypto';

/** A uniformly random code of `length` digits, leading zeros kept (ASVS 2.7.5). */
export function generateNumericCode(length: number): string {
  return randomInt(0, 10 ** length)
    .toString()
    .padStart(length, '0');
}
