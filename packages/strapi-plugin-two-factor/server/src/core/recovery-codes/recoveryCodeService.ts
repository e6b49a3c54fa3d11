import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClockService } from '../../platform/clock/clockService';
import type { RecoveryCodeRow, RecoveryCodeStore } from '../../platform/stores/recoveryCodeStore';
import type { SecretsService } from '../secrets/secretsService';
import { canonicalRecoveryCode, generateRecoveryCode } from './recoveryCodeFormat';

/** NIST look-up secrets: a fixed set, each used once. */
export const RECOVERY_CODE_COUNT = 10;

export interface RecoveryCodeService {
  /** Voids every old code and returns 10 new ones, shown once and stored only hashed. */
  regenerate(userId: number): Promise<string[]>;
  remaining(userId: number): Promise<number>;
  /** Uses the code when it is one of the user's unused codes; true for exactly one caller. */
  consume(userId: number, input: string): Promise<boolean>;
  voidAll(userId: number): Promise<void>;
}

/** `salt.hmac`: per-code salt, keyed HMAC so a stolen table cannot be brute-forced offline. */
function hashCode(key: Buffer, canonical: string, salt: string): string {
  return `${salt}.${createHmac('sha256', key).update(`${salt}.${canonical}`).digest('hex')}`;
}

function matches(key: Buffer, canonical: string, stored: string): boolean {
  const [salt] = stored.split('.');
  if (salt === undefined) return false;
  const expected = Buffer.from(stored);
  const actual = Buffer.from(hashCode(key, canonical, salt));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function createRecoveryCodeService({
  store,
  clock,
  secrets,
}: {
  store: RecoveryCodeStore;
  clock: ClockService;
  secrets: SecretsService;
}): RecoveryCodeService {
  const key = (): Buffer => secrets.codeHmacKey();
  const now = (): Date => clock.now();

  return {
    async regenerate(userId) {
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
      const codeHashes = codes.map((code) =>
        hashCode(key(), canonicalRecoveryCode(code) ?? code, randomBytes(16).toString('hex')),
      );
      await store.replaceAll(userId, codeHashes, now());
      return codes;
    },

    async remaining(userId) {
      return store.countUnused(userId);
    },

    async consume(userId, input) {
      const canonical = canonicalRecoveryCode(input);
      if (canonical === undefined) return false;
      const unused = await store.listUnused(userId);
      let match: RecoveryCodeRow | undefined;
      for (const row of unused) if (matches(key(), canonical, row.codeHash)) match = row;
      if (match === undefined) return false;
      // Single use, decided by the database: of parallel uses exactly one updates the row.
      return store.markUsed(match.id, now());
    },

    async voidAll(userId) {
      await store.deleteAllOf(userId);
    },
  };
}
