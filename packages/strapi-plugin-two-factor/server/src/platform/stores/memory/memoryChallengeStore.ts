import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChallengeRow, ChallengeStore } from '../challengeStore';

function time(value: string | Date | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).getTime();
}

/**
 * The challenge table in memory, for unit tests of the flows: every guarded update matches
 * exactly when the SQL's `WHERE` would, and JavaScript's one thread makes each method as
 * atomic as its single statement. Transactions run one at a time, as a database serializes
 * writers of one row; one that throws puts every row back.
 *
 * `commitIsCostly` picks which of the challenge service's two ways of settling a code the
 * tests run: in one transaction (SQLite), or statement by statement (PostgreSQL, MySQL).
 * `updateReturnsRows: false` is MySQL's: no attempt by token, the caller reads the row first.
 */
export function createMemoryChallengeStore({
  commitIsCostly = true,
  updateReturnsRows = true,
}: {
  commitIsCostly?: boolean;
  updateReturnsRows?: boolean;
} = {}): ChallengeStore & { rows(): ChallengeRow[] } {
  let rows = new Map<number, ChallengeRow>();
  let nextId = 1;
  /** The end of the last transaction queued; a nested one joins the transaction it runs in. */
  let lastTransaction: Promise<unknown> = Promise.resolve();
  const inTransaction = new AsyncLocalStorage<true>();

  const copy = (row: ChallengeRow | undefined): ChallengeRow | null => (row === undefined ? null : { ...row });
  const row = (id: number): ChallengeRow | undefined => rows.get(id);
  /** `takeCodeAttempt`'s guarded update on a row found: the attempts after it, or undefined. */
  const takeAttempt = (stored: ChallengeRow | undefined, maxAttempts: number, consumedAt: Date | null) => {
    if (stored === undefined || stored.consumedAt !== null || stored.attempts >= maxAttempts) return undefined;
    stored.attempts += 1;
    stored.consumedAt = consumedAt;
    return stored.attempts;
  };

  function insert(values: Parameters<ChallengeStore['insert']>[0]): ChallengeRow {
    const id = nextId++;
    const created: ChallengeRow = {
      userId: null,
      factorId: null,
      method: null,
      phone: null,
      codeHash: null,
      codeExpiresAt: null,
      attempts: 0,
      sends: 0,
      lastSentAt: null,
      consumedAt: null,
      deviceId: null,
      firstFactor: null,
      passkeyChallenge: null,
      passkeyChallengeExpiresAt: null,
      ...values,
      id,
    };
    if ([...rows.values()].some((other) => other.tokenHash === created.tokenHash)) {
      throw new Error(`Duplicate token hash "${created.tokenHash}"`);
    }
    rows.set(id, created);
    return created;
  }

  return {
    rows: () => [...rows.values()].map((stored) => ({ ...stored })),

    async insert(values) {
      return { ...insert(values) };
    },

    async insertWithoutReading(values) {
      return insert(values).id;
    },

    async findById(id) {
      return copy(row(id));
    },

    async findByTokenHash(tokenHash) {
      return copy([...rows.values()].find((stored) => stored.tokenHash === tokenHash));
    },

    async findNewestOpen(owner, purpose, now) {
      const matches = [...rows.values()].filter(
        (stored) =>
          stored.purpose === purpose &&
          stored.consumedAt === null &&
          (time(stored.expiresAt) ?? 0) > now.getTime() &&
          Object.entries(owner).every(([key, value]) => stored[key as keyof ChallengeRow] === value),
      );
      return copy(matches.sort((a, b) => b.id - a.id)[0]);
    },

    async reserveAttempt(id, maxAttempts) {
      const stored = row(id);
      if (stored === undefined || stored.consumedAt !== null || stored.attempts >= maxAttempts) return false;
      stored.attempts += 1;
      return true;
    },

    async takeCodeAttempt(id, maxAttempts, { consumedAt }) {
      return takeAttempt(row(id), maxAttempts, consumedAt);
    },

    async takeCodeAttemptByToken({ tokenHash, scope, codeHash, maxAttempts, at }) {
      if (!updateReturnsRows) return undefined;
      const stored = [...rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
      if (
        stored === undefined ||
        stored.method !== scope.method ||
        !scope.purposes.includes(stored.purpose) ||
        (time(stored.expiresAt) ?? 0) <= at.getTime() ||
        (time(stored.codeExpiresAt) ?? 0) <= at.getTime() ||
        (scope.factorBound.includes(stored.purpose) && (stored.userId === null || stored.factorId === null))
      )
        return undefined;
      const consumedAt = stored.codeHash === codeHash ? at : null;
      return takeAttempt(stored, maxAttempts, consumedAt) === undefined ? undefined : { ...stored };
    },

    async returnCodeAttempt(id, consumedAt) {
      const stored = row(id);
      if (stored === undefined) return;
      if (consumedAt === null) {
        if (stored.consumedAt === null && stored.attempts > 0) stored.attempts -= 1;
      } else if (time(stored.consumedAt) === consumedAt.getTime()) {
        stored.attempts -= 1;
        stored.consumedAt = null;
      }
    },

    commitIsCostly: () => commitIsCostly,

    async consume(id, at) {
      const stored = row(id);
      if (stored === undefined || stored.consumedAt !== null) return false;
      stored.consumedAt = at;
      return true;
    },

    async consumeOpenEnrolments(userId, at) {
      for (const stored of rows.values()) {
        if (stored.userId === userId && stored.purpose === 'enrol' && stored.factorId === null && !stored.consumedAt)
          stored.consumedAt = at;
      }
    },

    async takeSendSlot(id, { maxSends, cooldownStart }, code) {
      const stored = row(id);
      if (stored === undefined || stored.consumedAt !== null || stored.sends >= maxSends) return false;
      const lastSentAt = time(stored.lastSentAt);
      if (lastSentAt !== undefined && lastSentAt > cooldownStart.getTime()) return false;
      Object.assign(stored, code);
      stored.sends += 1;
      return true;
    },

    async releaseSendSlot(id, previous) {
      const stored = row(id);
      if (stored === undefined) return;
      Object.assign(stored, previous);
      stored.sends -= 1;
    },

    async writeDecoyCode(id, code) {
      const stored = row(id);
      if (stored === undefined) return;
      Object.assign(stored, code, { sends: 1 });
    },

    async switchMethod(id, change) {
      const stored = row(id);
      if (stored !== undefined) Object.assign(stored, change, { lastSentAt: null });
    },

    async renewPasskeyChallenge(id, passkeyChallenge, expiresAt) {
      const stored = row(id);
      if (stored === undefined || stored.consumedAt !== null) return;
      Object.assign(stored, { passkeyChallenge, passkeyChallengeExpiresAt: expiresAt });
    },

    async deleteOpenForUser(userId) {
      for (const [id, stored] of rows) if (stored.userId === userId && stored.consumedAt === null) rows.delete(id);
    },

    async deleteForFactor(factorId) {
      for (const [id, stored] of rows) if (stored.factorId === factorId) rows.delete(id);
    },

    async transaction(work) {
      if (inTransaction.getStore() === true) return work();
      const run = async () => {
        const before = new Map([...rows].map(([id, stored]) => [id, { ...stored }]));
        try {
          return await inTransaction.run(true, work);
        } catch (error) {
          rows = before;
          throw error;
        }
      };
      const result = lastTransaction.then(run, run);
      lastTransaction = result.catch(() => undefined);
      return result;
    },
  };
}
