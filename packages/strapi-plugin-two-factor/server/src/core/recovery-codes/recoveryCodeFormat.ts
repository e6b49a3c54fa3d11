import { randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so codes survive being read aloud or written down. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 10;

/** A new code, 10 Crockford characters (50 bits), shown as `XXXXX-XXXXX`. */
export function generateRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i += 1) code += CROCKFORD[randomInt(CROCKFORD.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * What a person typed, in canonical form: case, spaces and dashes ignored, and Crockford's
 * look-alikes read as digits (I, L → 1; O → 0). `undefined` when it cannot be a code.
 */
export function canonicalRecoveryCode(input: string): string | undefined {
  const canonical = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (canonical.length !== RECOVERY_CODE_LENGTH) return undefined;
  for (const character of canonical) if (!CROCKFORD.includes(character)) return undefined;
  return canonical;
}
