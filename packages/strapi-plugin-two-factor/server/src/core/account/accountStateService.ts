import type { Core } from '@strapi/strapi';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { SettingsService } from '../settings/settingsService';

const UID = 'plugin::two-factor.account-state';

interface AccountStateRow {
  id: number;
  userId: number;
  consecutiveFailures: number;
  lockedUntil: string | Date | null;
  preferredMethod: string | null;
}

export interface AccountStateService {
  /**
   * Throws `ACCOUNT_LOCKED` (429, `Retry-After`) while the account is locked; else returns
   * the method it signed in with last (`preferredMethod`), read from the same row.
   */
  assertNotLocked(userId: number): Promise<string | undefined>;
  /**
   * Takes one of the account's `maxConsecutiveFailures` before a code is judged, in one
   * `UPDATE … SET reserved_attempts = reserved_attempts + 1 WHERE reserved_attempts < max
   * AND not locked`: of any number of parallel attempts at most the remaining ones are
   * judged. Throws `ACCOUNT_LOCKED` otherwise. The attempt is then settled by exactly one of
   * `recordSuccess`, `recordFailure` or `releaseAttempt`.
   */
  reserveAttempt(userId: number): Promise<void>;
  /**
   * Settles a reserved attempt that failed: when the settled failures reach
   * `maxConsecutiveFailures`, the account is locked for `lockoutSeconds` (NIST 800-63B
   * §5.2.2); returns whether this failure locked it.
   */
  recordFailure(userId: number): Promise<{ locked: boolean; retryAfterSeconds: number }>;
  /**
   * Settles a reserved attempt that passed: the failures start over and any lock is lifted
   * (it cannot have counted this success; see the implementation). A sign-in also remembers
   * its method.
   */
  recordSuccess(userId: number, signedInWith?: string): Promise<void>;
  /**
   * Takes and settles one attempt whose verdict is already known, in one statement inside
   * the caller's transaction: `UPDATE … WHERE reserved_attempts < max AND not locked`, setting
   * what `reserveAttempt` then `recordFailure` or `recordSuccess` would (a failure that reaches
   * `maxConsecutiveFailures` locks). `undefined` when no row matched (locked, every attempt
   * taken, or no row yet: see `refusedAttempt`).
   */
  settleJudged(
    userId: number,
    outcome: { passed: true; signedInWith?: string } | { passed: false },
  ): Promise<{ locked: boolean; retryAfterSeconds: number } | undefined>;
  /**
   * After `settleJudged` matched no row: the `ACCOUNT_LOCKED` error to throw, or `undefined`
   * when the account had no row yet (it has one now: try again).
   */
  refusedAttempt(userId: number): Promise<Error | undefined>;
  /** Gives back a reserved attempt that was never judged (the check itself failed). */
  releaseAttempt(userId: number): Promise<void>;
  /** Lifts a lock-out and resets the count (admin action). */
  unlock(userId: number): Promise<void>;
  preferredMethod(userId: number): Promise<string | undefined>;
}

/** Strapi's knex transaction (the plugin does not depend on knex itself). */
type Transaction = Parameters<Parameters<Core.Strapi['db']['transaction']>[0]>[0]['trx'];
type TableQuery = ReturnType<Transaction>;

/** Column names of the account-state table, for the updates Strapi's query builder cannot write. */
const COLUMNS = {
  userId: 'user_id',
  failures: 'consecutive_failures',
  reserved: 'reserved_attempts',
  lockedUntil: 'locked_until',
  updatedAt: 'updated_at',
} as const;

/** `consecutive_failures + 1 >= max`: this failure reaches the limit (bindings: column, max). */
const REACHES_LIMIT = '?? + 1 >= ?';

export function createAccountStateService({
  strapi,
  clock,
  settings,
}: {
  strapi: Core.Strapi;
  clock: ClockService;
  settings: SettingsService;
}): AccountStateService {
  const query = () => strapi.db.query(UID);
  const now = (): Date => clock.now();
  const config = () => settings.config();
  const tableName = (): string => strapi.db.metadata.get(UID).tableName;

  /**
   * Runs one statement on the account-state table through knex, inside the caller's
   * transaction when there is one (Strapi's `transaction` joins it), so column-to-column
   * updates stay single atomic statements on all three databases.
   */
  async function statement<T = number>(build: (table: TableQuery, knex: Transaction) => Promise<T>): Promise<T> {
    // Alone, one statement is atomic by itself: no BEGIN and COMMIT around it.
    if (!strapi.db.inTransaction()) {
      const knex = strapi.db.connection as unknown as Transaction;
      return build(knex(tableName()), knex);
    }
    return strapi.db.transaction(async ({ trx }) => build(trx(tableName()), trx));
  }

  /** MariaDB/MySQL have no `UPDATE … RETURNING`. */
  const updateReturns = (): boolean => (strapi.db.dialect as { client?: string }).client !== 'mysql';

  async function find(userId: number): Promise<AccountStateRow | null> {
    return (await query().findOne({ where: { userId } })) as AccountStateRow | null;
  }

  /** The row for `userId`, created on first use; a unique index settles concurrent creation. */
  async function ensure(userId: number): Promise<AccountStateRow> {
    const existing = await find(userId);
    if (existing !== null) return existing;
    try {
      return (await query().create({
        data: { userId, consecutiveFailures: 0, reservedAttempts: 0, createdAt: now(), updatedAt: now() },
      })) as AccountStateRow;
    } catch (error) {
      const raced = await find(userId);
      if (raced === null) throw error;
      return raced;
    }
  }

  /** One `UPDATE … WHERE reserved_attempts < max AND not locked`; false when no row matched. */
  async function tryReserve(userId: number): Promise<boolean> {
    const at = now();
    const reserved = await statement((table, knex) =>
      table
        .where(COLUMNS.userId, userId)
        // A row from before this column existed holds NULL: read as no reservation.
        .whereRaw('COALESCE(??, 0) < ?', [COLUMNS.reserved, config().maxConsecutiveFailures])
        .andWhere((unlocked: TableQuery) =>
          unlocked.whereNull(COLUMNS.lockedUntil).orWhere(COLUMNS.lockedUntil, '<=', at),
        )
        .update({ [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) + 1', [COLUMNS.reserved]) }),
    );
    return reserved === 1;
  }

  function secondsUntil(date: Date): number {
    return Math.max(1, Math.ceil((date.getTime() - now().getTime()) / 1000));
  }

  return {
    async assertNotLocked(userId) {
      const state = await find(userId);
      if (state?.lockedUntil != null) {
        const lockedUntil = new Date(state.lockedUntil);
        if (lockedUntil > now()) {
          throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: secondsUntil(lockedUntil) });
        }
      }
      return state?.preferredMethod ?? undefined;
    },

    async reserveAttempt(userId) {
      // The row exists after the account's first second step: try first, read only when refused.
      if (await tryReserve(userId)) return;
      let state = await find(userId);
      if (state === null) {
        await ensure(userId);
        if (await tryReserve(userId)) return;
        state = await find(userId);
      }
      const lockedUntil = state?.lockedUntil == null ? now() : new Date(state.lockedUntil);
      throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: secondsUntil(lockedUntil) });
    },

    async recordFailure(userId) {
      const { maxConsecutiveFailures, lockoutSeconds } = config();
      const at = now();
      const lockedUntil = new Date(at.getTime() + lockoutSeconds * 1000);
      // The reservation already counted this attempt in reserved_attempts; now it is a
      // settled failure too.
      await statement((table, knex) =>
        table.where(COLUMNS.userId, userId).update({ [COLUMNS.failures]: knex.raw('?? + 1', [COLUMNS.failures]) }),
      );
      // Only settled failures lock, never an attempt still being judged: a success in flight
      // holds a reservation, so settled failures stay below the limit until it lands, and a
      // parallel race cannot lock the account its own winner signed in to (no serial order
      // of the same attempts could). Settled failures reach the limit only when every
      // reservation is a settled failure, so the count starts over at nothing in flight.
      const locked = await statement((table) =>
        table
          .where(COLUMNS.userId, userId)
          .andWhere(COLUMNS.failures, '>=', maxConsecutiveFailures)
          .update({
            [COLUMNS.lockedUntil]: lockedUntil,
            [COLUMNS.failures]: 0,
            [COLUMNS.reserved]: 0,
            [COLUMNS.updatedAt]: at,
          }),
      );
      return locked === 1
        ? { locked: true, retryAfterSeconds: lockoutSeconds }
        : { locked: false, retryAfterSeconds: 0 };
    },

    async recordSuccess(userId, signedInWith) {
      // A recovery code is a way back in, not a method to offer first next time.
      const preferred: { preferred_method?: string } =
        signedInWith === undefined || signedInWith === 'recovery_code' ? {} : { preferred_method: signedInWith };
      const at = now();
      // One statement: the settled failures and this attempt's own reservation leave
      // reserved_attempts (the other attempts in flight stay reserved), the failures start
      // over, and a lock is lifted: one set while this attempt was reserved cannot exist
      // (see recordFailure), so a lock here is older than a success that passed its check.
      // MySQL assigns left to right with the new values: reserved_attempts goes first.
      const settle = () =>
        statement((table, knex) =>
          table.where(COLUMNS.userId, userId).update({
            [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ?? - 1', [COLUMNS.reserved, COLUMNS.failures]),
            [COLUMNS.failures]: 0,
            [COLUMNS.lockedUntil]: null,
            ...preferred,
            [COLUMNS.updatedAt]: at,
          }),
        );
      // The attempt's reservation made the row; a success without one (none today) only
      // creates it and remembers the method.
      if ((await settle()) === 1) return;
      await ensure(userId);
      if (preferred.preferred_method !== undefined) {
        await query().updateMany({ where: { userId }, data: { preferredMethod: preferred.preferred_method } });
      }
    },

    async settleJudged(userId, outcome) {
      const { maxConsecutiveFailures, lockoutSeconds } = config();
      const at = now();
      const matched = (table: TableQuery): TableQuery =>
        table
          .where(COLUMNS.userId, userId)
          .whereRaw('COALESCE(??, 0) < ?', [COLUMNS.reserved, maxConsecutiveFailures])
          .andWhere((unlocked: TableQuery) =>
            unlocked.whereNull(COLUMNS.lockedUntil).orWhere(COLUMNS.lockedUntil, '<=', at),
          );
      if (outcome.passed) {
        const signedInWith = outcome.signedInWith;
        const preferred =
          signedInWith === undefined || signedInWith === 'recovery_code' ? {} : { preferred_method: signedInWith };
        // reserveAttempt and recordSuccess in one: +1 −1 leaves the settled failures out of
        // reserved_attempts. MySQL assigns left to right with the new values: it goes first.
        const updated = await statement((table, knex) =>
          matched(table).update({
            [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ??', [COLUMNS.reserved, COLUMNS.failures]),
            [COLUMNS.failures]: 0,
            [COLUMNS.lockedUntil]: null,
            ...preferred,
            [COLUMNS.updatedAt]: at,
          }),
        );
        return updated === 1 ? { locked: false, retryAfterSeconds: 0 } : undefined;
      }
      // reserveAttempt and recordFailure in one: the failure that reaches the limit locks and
      // starts the counts over, any other counts once as reserved and once as settled. Every
      // right side reads the old consecutive_failures (MySQL: it is assigned last).
      const reaches = REACHES_LIMIT;
      const lockedUntil = new Date(at.getTime() + lockoutSeconds * 1000);
      const set = (knex: Transaction) => ({
        [COLUMNS.lockedUntil]: knex.raw(`CASE WHEN ${reaches} THEN ? ELSE ?? END`, [
          COLUMNS.failures,
          maxConsecutiveFailures,
          lockedUntil,
          COLUMNS.lockedUntil,
        ]),
        [COLUMNS.reserved]: knex.raw(`CASE WHEN ${reaches} THEN 0 ELSE COALESCE(??, 0) + 1 END`, [
          COLUMNS.failures,
          maxConsecutiveFailures,
          COLUMNS.reserved,
        ]),
        [COLUMNS.updatedAt]: at,
        [COLUMNS.failures]: knex.raw(`CASE WHEN ${reaches} THEN 0 ELSE ?? + 1 END`, [
          COLUMNS.failures,
          maxConsecutiveFailures,
          COLUMNS.failures,
        ]),
      });
      let failures: number | undefined;
      if (updateReturns()) {
        const rows = await statement(
          (table, knex) =>
            matched(table).update(set(knex), [COLUMNS.failures]) as unknown as Promise<
              Array<{ consecutive_failures: number | string }>
            >,
        );
        if (rows.length !== 1) return undefined;
        failures = Number(rows[0]?.consecutive_failures);
      } else {
        if ((await statement((table, knex) => matched(table).update(set(knex)))) !== 1) return undefined;
        const row = await statement(
          (table) =>
            table.where(COLUMNS.userId, userId).first(COLUMNS.failures) as unknown as Promise<
              { consecutive_failures: number | string } | undefined
            >,
        );
        failures = Number(row?.consecutive_failures);
      }
      // A failure that counts leaves at least one; only the locking one leaves none.
      return failures === 0
        ? { locked: true, retryAfterSeconds: lockoutSeconds }
        : { locked: false, retryAfterSeconds: 0 };
    },

    async refusedAttempt(userId) {
      const state = await find(userId);
      if (state === null) {
        await ensure(userId);
        return undefined;
      }
      const lockedUntil = state.lockedUntil == null ? now() : new Date(state.lockedUntil);
      return twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: secondsUntil(lockedUntil) });
    },

    async releaseAttempt(userId) {
      await statement((table, knex) =>
        table
          .where(COLUMNS.userId, userId)
          .update({ [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - 1', [COLUMNS.reserved]) }),
      );
    },

    async unlock(userId) {
      // The attempts being judged keep their reservations; the failures are forgiven.
      await statement((table, knex) =>
        table.where(COLUMNS.userId, userId).update({
          [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ??', [COLUMNS.reserved, COLUMNS.failures]),
          [COLUMNS.failures]: 0,
          [COLUMNS.lockedUntil]: null,
          [COLUMNS.updatedAt]: now(),
        }),
      );
    },

    async preferredMethod(userId) {
      return (await find(userId))?.preferredMethod ?? undefined;
    },
  };
}
