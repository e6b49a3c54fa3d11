import type { AccountStateRow, AccountStateStore } from '../accountStateStore';

interface StoredAccountState {
  id: number;
  userId: number;
  consecutiveFailures: number;
  /** NULL in rows from before the column existed: read as no reservation. */
  reservedAttempts: number | null;
  lockedUntil: Date | null;
  preferredMethod: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemoryAccountStateStore extends AccountStateStore {
  /** The account's `reserved_attempts` (tests only; `undefined` without a row). */
  reservedAttempts(userId: number): number | null | undefined;
}

/**
 * The account-state table in memory, for unit tests: every conditional update matches exactly
 * when the SQL guard of `createAccountStateStore` would.
 */
export function createMemoryAccountStateStore(): MemoryAccountStateStore {
  const rows = new Map<number, StoredAccountState>();
  let lastId = 0;

  const copy = (row: StoredAccountState): AccountStateRow => ({
    id: row.id,
    userId: row.userId,
    consecutiveFailures: row.consecutiveFailures,
    lockedUntil: row.lockedUntil,
    preferredMethod: row.preferredMethod,
  });
  const reserved = (row: StoredAccountState): number => row.reservedAttempts ?? 0;
  /** `COALESCE(reserved_attempts, 0) < max AND (locked_until IS NULL OR locked_until <= now)`. */
  const open = (userId: number, max: number, now: Date): StoredAccountState | undefined => {
    const row = rows.get(userId);
    if (row === undefined || reserved(row) >= max) return undefined;
    return row.lockedUntil === null || row.lockedUntil.getTime() <= now.getTime() ? row : undefined;
  };

  return {
    async find(userId) {
      const row = rows.get(userId);
      return row === undefined ? null : copy(row);
    },

    async ensure(userId, now) {
      let row = rows.get(userId);
      if (row === undefined) {
        lastId += 1;
        row = {
          id: lastId,
          userId,
          consecutiveFailures: 0,
          reservedAttempts: 0,
          lockedUntil: null,
          preferredMethod: null,
          createdAt: now,
          updatedAt: now,
        };
        rows.set(userId, row);
      }
      return copy(row);
    },

    async summariesOf(userIds) {
      return [...rows.values()]
        .filter((row) => userIds.includes(row.userId))
        .map((row) => ({
          userId: row.userId,
          consecutiveFailures: row.consecutiveFailures,
          lockedUntil: row.lockedUntil,
        }));
    },

    async tryReserveAttempt(userId, max, now) {
      const row = open(userId, max, now);
      if (row === undefined) return false;
      row.reservedAttempts = reserved(row) + 1;
      return true;
    },

    async addFailure(userId) {
      const row = rows.get(userId);
      if (row !== undefined) row.consecutiveFailures += 1;
    },

    async lockIfReached(userId, max, lockedUntil, now) {
      const row = rows.get(userId);
      if (row === undefined || row.consecutiveFailures < max) return false;
      Object.assign(row, { lockedUntil, consecutiveFailures: 0, reservedAttempts: 0, updatedAt: now });
      return true;
    },

    async settleSuccess(userId, preferredMethod, now) {
      const row = rows.get(userId);
      if (row === undefined) return false;
      row.reservedAttempts = reserved(row) - row.consecutiveFailures - 1;
      row.consecutiveFailures = 0;
      row.lockedUntil = null;
      if (preferredMethod !== undefined) row.preferredMethod = preferredMethod;
      row.updatedAt = now;
      return true;
    },

    async setPreferredMethod(userId, preferredMethod) {
      const row = rows.get(userId);
      if (row !== undefined) row.preferredMethod = preferredMethod;
    },

    async settleJudged(userId, attempt, max, now) {
      const row = open(userId, max, now);
      if (row === undefined) return undefined;
      row.updatedAt = now;
      if (attempt.passed) {
        row.reservedAttempts = reserved(row) - row.consecutiveFailures;
        row.consecutiveFailures = 0;
        row.lockedUntil = null;
        if (attempt.preferredMethod !== undefined) row.preferredMethod = attempt.preferredMethod;
        return 0;
      }
      if (row.consecutiveFailures + 1 >= max) {
        row.lockedUntil = attempt.lockedUntil;
        row.reservedAttempts = 0;
        row.consecutiveFailures = 0;
      } else {
        row.reservedAttempts = reserved(row) + 1;
        row.consecutiveFailures += 1;
      }
      return row.consecutiveFailures;
    },

    async release(userId) {
      const row = rows.get(userId);
      if (row !== undefined) row.reservedAttempts = reserved(row) - 1;
    },

    async unlock(userId, now) {
      const row = rows.get(userId);
      if (row === undefined) return;
      row.reservedAttempts = reserved(row) - row.consecutiveFailures;
      row.consecutiveFailures = 0;
      row.lockedUntil = null;
      row.updatedAt = now;
    },

    reservedAttempts(userId) {
      return rows.get(userId)?.reservedAttempts;
    },
  };
}
