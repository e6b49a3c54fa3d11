import type { Core } from '@strapi/strapi';
import { runStatement, type TableQuery, type Transaction } from './knexTable';

export const ACCOUNT_STATE_UID = 'plugin::two-factor.account-state';

export interface AccountStateRow {
  id: number;
  userId: number;
  consecutiveFailures: number;
  /** Attempts taken and not settled yet, plus the settled failures (null on rows older than it). */
  reservedAttempts?: number | null;
  lockedUntil: string | Date | null;
  preferredMethod: string | null;
}

/** What the admin's user list shows of an account's state. */
export interface AccountStateSummary {
  userId: number;
  consecutiveFailures: number;
  lockedUntil: string | Date | null;
}

/** A judged attempt, as `settleJudged` writes it. */
export type JudgedAttempt =
  | { passed: true; preferredMethod?: string }
  | {
      passed: false;
      /** Set when this failure reaches the limit. */
      lockedUntil: Date;
    };

/**
 * The account-state table (`plugin::two-factor.account-state`): the only code that queries
 * it. Every update that reads a column to write it is one statement here, inside the caller's
 * transaction when there is one, so the attempt and lock-out caps hold under parallel load
 * on any number of instances.
 */
export interface AccountStateStore {
  find(userId: number): Promise<AccountStateRow | null>;
  /** The row for `userId`, created on first use; a unique index settles concurrent creation. */
  ensure(userId: number, now: Date): Promise<AccountStateRow>;
  /** The rows of many accounts (no row: no failures, no lock). */
  summariesOf(userIds: number[]): Promise<AccountStateSummary[]>;
  /**
   * `UPDATE … SET reserved_attempts = reserved_attempts + 1 WHERE reserved_attempts < max AND
   * not locked at now`: false when no row matched.
   */
  tryReserveAttempt(userId: number, max: number, now: Date): Promise<boolean>;
  /** `consecutive_failures + 1` (a reserved attempt settled as a failure). */
  addFailure(userId: number): Promise<void>;
  /**
   * `UPDATE … SET locked_until, counts = 0 WHERE consecutive_failures >= max`: whether this
   * call locked the account.
   */
  lockIfReached(userId: number, max: number, lockedUntil: Date, now: Date): Promise<boolean>;
  /**
   * Settles a reserved attempt that passed: the settled failures and this attempt's reservation
   * leave `reserved_attempts`, the failures start over, a lock is lifted, the method (when
   * given) is remembered. False when the account has no row.
   */
  settleSuccess(userId: number, preferredMethod: string | undefined, now: Date): Promise<boolean>;
  setPreferredMethod(userId: number, preferredMethod: string): Promise<void>;
  /**
   * Takes and settles one judged attempt in one `UPDATE … WHERE reserved_attempts < max AND
   * not locked at now`: a pass as `settleSuccess`; a failure counts once as reserved and once
   * as settled, or, when it reaches `max`, locks until `lockedUntil` and starts the counts
   * over. Returns `consecutive_failures` after it (0: passed, or this failure locked);
   * `undefined` when no row matched.
   */
  settleJudged(userId: number, attempt: JudgedAttempt, max: number, now: Date): Promise<number | undefined>;
  /** `reserved_attempts - 1`: a reserved attempt never judged. */
  release(userId: number): Promise<void>;
  /** The failures are forgiven and the lock lifted; the attempts being judged keep their reservations. */
  unlock(userId: number, now: Date): Promise<void>;
}

/** Column names of the account-state table, for the updates Strapi's query builder cannot write. */
const COLUMNS = {
  userId: 'user_id',
  failures: 'consecutive_failures',
  reserved: 'reserved_attempts',
  lockedUntil: 'locked_until',
  preferredMethod: 'preferred_method',
  updatedAt: 'updated_at',
} as const;

/** `consecutive_failures + 1 >= max`: this failure reaches the limit (bindings: column, max). */
const REACHES_LIMIT = '?? + 1 >= ?';

export function createAccountStateStore(strapi: Core.Strapi): AccountStateStore {
  const query = () => strapi.db.query(ACCOUNT_STATE_UID);

  /**
   * Runs one statement on the account-state table through knex, inside the caller's
   * transaction when there is one (Strapi's `transaction` joins it), so column-to-column
   * updates stay single atomic statements on all three databases.
   */
  function statement<T = number>(build: (table: TableQuery, knex: Transaction) => Promise<T>): Promise<T> {
    return runStatement(strapi, ACCOUNT_STATE_UID, build);
  }

  /** MariaDB/MySQL have no `UPDATE … RETURNING`. */
  const updateReturns = (): boolean => (strapi.db.dialect as { client?: string }).client !== 'mysql';

  /** The account's row while it has attempts left and is not locked at `now`. */
  const open = (table: TableQuery, userId: number, max: number, now: Date): TableQuery =>
    table
      .where(COLUMNS.userId, userId)
      // A row from before this column existed holds NULL: read as no reservation.
      .whereRaw('COALESCE(??, 0) < ?', [COLUMNS.reserved, max])
      .andWhere((unlocked: TableQuery) =>
        unlocked.whereNull(COLUMNS.lockedUntil).orWhere(COLUMNS.lockedUntil, '<=', now),
      );

  const preferred = (preferredMethod: string | undefined): { preferred_method?: string } =>
    preferredMethod === undefined ? {} : { [COLUMNS.preferredMethod]: preferredMethod };

  async function find(userId: number): Promise<AccountStateRow | null> {
    return (await query().findOne({ where: { userId } })) as AccountStateRow | null;
  }

  return {
    find,

    async ensure(userId, now) {
      const existing = await find(userId);
      if (existing !== null) return existing;
      try {
        return (await query().create({
          data: { userId, consecutiveFailures: 0, reservedAttempts: 0, createdAt: now, updatedAt: now },
        })) as AccountStateRow;
      } catch (error) {
        const raced = await find(userId);
        if (raced === null) throw error;
        return raced;
      }
    },

    async summariesOf(userIds) {
      return (await query().findMany({
        where: { userId: { $in: userIds } },
        select: ['userId', 'consecutiveFailures', 'lockedUntil'],
      })) as AccountStateSummary[];
    },

    async tryReserveAttempt(userId, max, now) {
      const reserved = await statement((table, knex) =>
        open(table, userId, max, now).update({
          [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) + 1', [COLUMNS.reserved]),
        }),
      );
      return reserved === 1;
    },

    async addFailure(userId) {
      await statement((table, knex) =>
        table.where(COLUMNS.userId, userId).update({ [COLUMNS.failures]: knex.raw('?? + 1', [COLUMNS.failures]) }),
      );
    },

    async lockIfReached(userId, max, lockedUntil, now) {
      const locked = await statement((table) =>
        table
          .where(COLUMNS.userId, userId)
          .andWhere(COLUMNS.failures, '>=', max)
          .update({
            [COLUMNS.lockedUntil]: lockedUntil,
            [COLUMNS.failures]: 0,
            [COLUMNS.reserved]: 0,
            [COLUMNS.updatedAt]: now,
          }),
      );
      return locked === 1;
    },

    async settleSuccess(userId, preferredMethod, now) {
      // MySQL assigns left to right with the new values: reserved_attempts goes first.
      const settled = await statement((table, knex) =>
        table.where(COLUMNS.userId, userId).update({
          [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ?? - 1', [COLUMNS.reserved, COLUMNS.failures]),
          [COLUMNS.failures]: 0,
          [COLUMNS.lockedUntil]: null,
          ...preferred(preferredMethod),
          [COLUMNS.updatedAt]: now,
        }),
      );
      return settled === 1;
    },

    async setPreferredMethod(userId, preferredMethod) {
      await query().updateMany({ where: { userId }, data: { preferredMethod } });
    },

    async settleJudged(userId, attempt, max, now) {
      if (attempt.passed) {
        // tryReserveAttempt and settleSuccess in one: +1 −1 leaves the settled failures out of
        // reserved_attempts. MySQL assigns left to right with the new values: it goes first.
        const updated = await statement((table, knex) =>
          open(table, userId, max, now).update({
            [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ??', [COLUMNS.reserved, COLUMNS.failures]),
            [COLUMNS.failures]: 0,
            [COLUMNS.lockedUntil]: null,
            ...preferred(attempt.preferredMethod),
            [COLUMNS.updatedAt]: now,
          }),
        );
        return updated === 1 ? 0 : undefined;
      }
      // The failure that reaches the limit locks and starts the counts over, any other counts
      // once as reserved and once as settled. Every right side reads the old
      // consecutive_failures (MySQL: it is assigned last).
      const reaches = REACHES_LIMIT;
      const set = (knex: Transaction) => ({
        [COLUMNS.lockedUntil]: knex.raw(`CASE WHEN ${reaches} THEN ? ELSE ?? END`, [
          COLUMNS.failures,
          max,
          attempt.lockedUntil,
          COLUMNS.lockedUntil,
        ]),
        [COLUMNS.reserved]: knex.raw(`CASE WHEN ${reaches} THEN 0 ELSE COALESCE(??, 0) + 1 END`, [
          COLUMNS.failures,
          max,
          COLUMNS.reserved,
        ]),
        [COLUMNS.updatedAt]: now,
        [COLUMNS.failures]: knex.raw(`CASE WHEN ${reaches} THEN 0 ELSE ?? + 1 END`, [
          COLUMNS.failures,
          max,
          COLUMNS.failures,
        ]),
      });
      if (updateReturns()) {
        const rows = await statement(
          (table, knex) =>
            open(table, userId, max, now).update(set(knex), [COLUMNS.failures]) as unknown as Promise<
              Array<{ consecutive_failures: number | string }>
            >,
        );
        if (rows.length !== 1) return undefined;
        return Number(rows[0]?.consecutive_failures);
      }
      if ((await statement((table, knex) => open(table, userId, max, now).update(set(knex)))) !== 1) return undefined;
      const row = await statement(
        (table) =>
          table.where(COLUMNS.userId, userId).first(COLUMNS.failures) as unknown as Promise<
            { consecutive_failures: number | string } | undefined
          >,
      );
      return Number(row?.consecutive_failures);
    },

    async release(userId) {
      await statement((table, knex) =>
        table
          .where(COLUMNS.userId, userId)
          .update({ [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - 1', [COLUMNS.reserved]) }),
      );
    },

    async unlock(userId, now) {
      await statement((table, knex) =>
        table.where(COLUMNS.userId, userId).update({
          [COLUMNS.reserved]: knex.raw('COALESCE(??, 0) - ??', [COLUMNS.reserved, COLUMNS.failures]),
          [COLUMNS.failures]: 0,
          [COLUMNS.lockedUntil]: null,
          [COLUMNS.updatedAt]: now,
        }),
      );
    },
  };
}
