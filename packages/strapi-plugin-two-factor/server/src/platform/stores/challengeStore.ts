import type { Core } from '@strapi/strapi';
import { knexRowReader, runStatement, type TableQuery, type Transaction } from './knexTable';

/** The challenge table's uid: this file is the only code that reads or writes it. */
const CHALLENGE_UID = 'plugin::two-factor.challenge';

export type ChallengePurpose =
  | 'login'
  | 'signup'
  | 'phone-login'
  | 'enrol'
  | 'step-up'
  | 'passkey-register'
  | 'passkey-login';

export interface ChallengeRow {
  id: number;
  tokenHash: string;
  userId: number | null;
  factorId: number | null;
  purpose: ChallengePurpose;
  method: string | null;
  phone: string | null;
  codeHash: string | null;
  codeExpiresAt: string | Date | null;
  expiresAt: string | Date;
  attempts: number;
  sends: number;
  lastSentAt: string | Date | null;
  consumedAt: string | Date | null;
  deviceId: string | null;
  /** `pwd` or `fed`; null on rows older than assurance, which were password sign-ins. */
  firstFactor: string | null;
  passkeyChallenge: string | null;
  passkeyChallengeExpiresAt: string | Date | null;
}

/** A row to insert: what identifies it and when it ends; every other column may be left to its default. */
export type NewChallengeRow = Pick<ChallengeRow, 'tokenHash' | 'purpose' | 'expiresAt'> &
  Partial<Omit<ChallengeRow, 'id'>> & { createdAt?: Date; updatedAt?: Date };

/** The columns a sent code writes. */
export interface SentCode {
  lastSentAt: Date | null;
  codeHash: string | null;
  codeExpiresAt: Date | string | null;
}

/**
 * Which open challenges a code may be tried on by token alone: `purposes`, sent by `method`,
 * and, for `factorBound` purposes, tied to a user and one of their factors.
 */
export interface CodeAttemptScope {
  purposes: readonly ChallengePurpose[];
  method: string;
  factorBound: readonly ChallengePurpose[];
}

export interface ChallengeStore {
  insert(row: NewChallengeRow): Promise<ChallengeRow>;
  /** Inserts without reading the row back (one statement): the caller holds every column. */
  insertWithoutReading(row: NewChallengeRow): Promise<number>;
  findById(id: number): Promise<ChallengeRow | null>;
  findByTokenHash(tokenHash: string): Promise<ChallengeRow | null>;
  /** The newest row of `purpose` for a factor or a user that is neither consumed nor expired at `now`. */
  findNewestOpen(
    owner: { factorId: number } | { userId: number; method?: string },
    purpose: ChallengePurpose,
    now: Date,
  ): Promise<ChallengeRow | null>;
  /**
   * `attempts = attempts + 1 WHERE id AND consumed_at IS NULL AND attempts < max`: whether the
   * attempt was taken. Of any number of parallel callers at most the remaining ones match.
   */
  reserveAttempt(id: number, maxAttempts: number): Promise<boolean>;
  /**
   * The attempt at a code the challenge holds, in one statement inside the caller's
   * transaction: `attempts + 1` and, when `consumedAt` is set, the single use, `WHERE
   * consumed_at IS NULL AND attempts < max`. Returns the attempts after it, or `undefined`
   * when it matched nothing. Without `UPDATE … RETURNING` (MySQL/MariaDB) a wrong code reads
   * the count back; a right one needs no count.
   */
  takeCodeAttempt(
    id: number,
    maxAttempts: number,
    change: { consumedAt: Date | null; at: Date },
  ): Promise<number | undefined>;
  /**
   * The attempt at a code by the challenge's token, in one `UPDATE … RETURNING` that takes the
   * attempt, uses the challenge up when `codeHash` is its digest, and reads the row: `WHERE
   * token_hash AND consumed_at IS NULL AND attempts < max`, neither the challenge nor its code
   * expired at `at`, and within `scope`. Of parallel callers at most the remaining attempts
   * match and at most one uses the row. Returns the row after it, or `undefined` when no row
   * met every condition, or when the database returns no rows from an `UPDATE` (MySQL/MariaDB):
   * the caller then reads the row and names what failed.
   */
  takeCodeAttemptByToken(attempt: {
    tokenHash: string;
    scope: CodeAttemptScope;
    codeHash: string;
    maxAttempts: number;
    at: Date;
  }): Promise<ChallengeRow | undefined>;
  /**
   * Gives back an attempt a `takeCodeAttempt…` took, where no transaction could roll it back:
   * for a wrong code (`consumedAt` null) `attempts - 1 WHERE id AND consumed_at IS NULL AND
   * attempts > 0`; for a right one, the single use too, `WHERE id AND consumed_at = consumedAt`.
   */
  returnCodeAttempt(id: number, consumedAt: Date | null): Promise<void>;
  /**
   * Whether a commit costs more than the statements it groups: SQLite's (journaled and fsync'd,
   * synchronously on the event loop, under Strapi's `journal_mode=delete`, `synchronous=FULL`)
   * does; PostgreSQL's and MySQL's, where each statement is a network round trip, do not, and
   * `BEGIN`/`COMMIT` are two more.
   */
  commitIsCostly(): boolean;
  /** `consumed_at = at WHERE id AND consumed_at IS NULL`: whether this call used the row. */
  consume(id: number, at: Date): Promise<boolean>;
  /** Consumes every open enrolment-only login of the user (factor enrolment codes stay). */
  consumeOpenEnrolments(userId: number, at: Date): Promise<void>;
  /**
   * Takes a send slot and writes the new code: `WHERE consumed_at IS NULL AND sends < max AND
   * (last_sent_at IS NULL OR last_sent_at <= cooldownStart)`, then `sends + 1`. Of parallel
   * sends only one can match. Whether it did.
   */
  takeSendSlot(id: number, limits: { maxSends: number; cooldownStart: Date }, code: SentCode): Promise<boolean>;
  /** Puts a send slot back with the code it replaced. */
  releaseSendSlot(id: number, previous: SentCode, at: Date): Promise<void>;
  /** Writes the decoy row's code the way `takeSendSlot` writes a real one (same statements). */
  writeDecoyCode(id: number, code: SentCode): Promise<void>;
  /** Points the challenge at another factor and method; the cooldown starts afresh. */
  switchMethod(id: number, change: { method: string; factorId: number | null; phone: string | null }): Promise<void>;
  renewPasskeyChallenge(id: number, passkeyChallenge: string, expiresAt: Date, at: Date): Promise<void>;
  /** The open challenges of a user (admin reset: a sign-in under way dies with its factors). */
  deleteOpenForUser(userId: number): Promise<void>;
  deleteForFactor(factorId: number): Promise<void>;
  /** Runs `work` in one transaction: the store's methods inside it join it. */
  transaction<Result>(work: () => Promise<Result>): Promise<Result>;
}

/** Every column of `ChallengeRow`, as the hot path reads them with knex. */
const CHALLENGE_ATTRIBUTES = [
  'id',
  'tokenHash',
  'userId',
  'factorId',
  'purpose',
  'method',
  'phone',
  'codeHash',
  'codeExpiresAt',
  'expiresAt',
  'attempts',
  'sends',
  'lastSentAt',
  'consumedAt',
  'deviceId',
  'firstFactor',
  'passkeyChallenge',
  'passkeyChallengeExpiresAt',
] as const satisfies ReadonlyArray<keyof ChallengeRow>;

export function createChallengeStore(strapi: Core.Strapi): ChallengeStore {
  const query = () => strapi.db.query(CHALLENGE_UID);
  const tableName = (): string => strapi.db.metadata.get(CHALLENGE_UID).tableName;
  const rows = knexRowReader<ChallengeRow>(strapi, CHALLENGE_UID, CHALLENGE_ATTRIBUTES);
  const returns = (): boolean => (strapi.db.dialect as { client?: string }).client !== 'mysql';
  const incrementSends = async (id: number, by: 1 | -1): Promise<void> => {
    const builder = strapi.db.queryBuilder(CHALLENGE_UID).where({ id });
    await (by === 1 ? builder.increment('sends', 1) : builder.decrement('sends', 1)).execute();
  };

  return {
    async insert(row) {
      return (await query().create({ data: row })) as ChallengeRow;
    },

    async insertWithoutReading(row) {
      // createMany: one INSERT, no read back of what the caller holds.
      const { ids } = (await query().createMany({ data: [row] })) as { ids: number[] };
      return Number(ids[0]);
    },

    async findById(id) {
      return (await query().findOne({ where: { id } })) as ChallengeRow | null;
    },

    async findByTokenHash(tokenHash) {
      // Every verify and send starts here: knex, not the query engine, which spent more CPU on
      // building the query and shaping the row than the SQL took (the bench's CPU profile).
      const columns = rows.columns();
      const raw = await runStatement(strapi, CHALLENGE_UID, (table) =>
        table.first(columns).where(columns.tokenHash as string, tokenHash),
      );
      return rows.fromRow(raw as Record<string, unknown> | undefined);
    },

    async findNewestOpen(owner, purpose, now) {
      return (await query().findOne({
        where: { ...owner, purpose, consumedAt: null, expiresAt: { $gt: now } },
        orderBy: { id: 'desc' },
      })) as ChallengeRow | null;
    },

    async reserveAttempt(id, maxAttempts) {
      const reserved = await strapi.db
        .queryBuilder(CHALLENGE_UID)
        .where({ id, consumedAt: null, attempts: { $lt: maxAttempts } })
        .increment('attempts', 1)
        .execute<number>();
      return reserved === 1;
    },

    async takeCodeAttempt(id, maxAttempts, { consumedAt, at }) {
      // Inside the caller's transaction when there is one, else one statement alone.
      return runStatement(strapi, CHALLENGE_UID, async (table, trx: Transaction) => {
        const taken = table
          .where({ id, consumed_at: null })
          .andWhere('attempts', '<', maxAttempts)
          .update({ attempts: trx.raw('?? + 1', ['attempts']), consumed_at: consumedAt, updated_at: at });
        if (returns()) {
          const returned = (await taken.returning(['attempts'])) as unknown as Array<{ attempts: number | string }>;
          return returned.length === 1 ? Number(returned[0]?.attempts) : undefined;
        }
        if ((await taken) !== 1) return undefined;
        // A used challenge takes no more attempts: its count no longer matters.
        if (consumedAt !== null) return maxAttempts;
        const row = (await trx(tableName()).where({ id }).first('attempts')) as { attempts: number };
        return Number(row.attempts);
      });
    },

    async takeCodeAttemptByToken({ tokenHash, scope, codeHash, maxAttempts, at }) {
      if (!returns()) return undefined;
      const columns = rows.columns();
      const column = (name: keyof ChallengeRow): string => columns[name] as string;
      const raw = await runStatement(strapi, CHALLENGE_UID, async (table, trx: Transaction) => {
        const returned = (await table
          .where(column('tokenHash'), tokenHash)
          .whereNull(column('consumedAt'))
          .where(column('method'), scope.method)
          .whereIn(column('purpose'), [...scope.purposes])
          .where(column('attempts'), '<', maxAttempts)
          .where(column('expiresAt'), '>', at)
          .where(column('codeExpiresAt'), '>', at)
          .where((bound: TableQuery) =>
            bound
              .whereNotIn(column('purpose'), [...scope.factorBound])
              .orWhere((owned: TableQuery) => owned.whereNotNull(column('userId')).whereNotNull(column('factorId'))),
          )
          .update({
            [column('attempts')]: trx.raw('?? + 1', [column('attempts')]),
            // ELSE the column itself, NULL by the WHERE: it gives the CASE the column's type,
            // which PostgreSQL needs to take the bound time.
            [column('consumedAt')]: trx.raw('CASE WHEN ?? = ? THEN ? ELSE ?? END', [
              column('codeHash'),
              codeHash,
              at,
              column('consumedAt'),
            ]),
            updated_at: at,
          })
          .returning(Object.values(columns))) as unknown as Array<Record<string, unknown>>;
        return returned[0];
      });
      return rows.fromColumns(raw) ?? undefined;
    },

    async returnCodeAttempt(id, consumedAt) {
      await runStatement(strapi, CHALLENGE_UID, async (table, trx: Transaction) => {
        const attempts = trx.raw('?? - 1', ['attempts']);
        if (consumedAt === null) {
          await table.where({ id, consumed_at: null }).andWhere('attempts', '>', 0).update({ attempts });
          return;
        }
        await table.where({ id, consumed_at: consumedAt }).update({ attempts, consumed_at: null });
      });
    },

    commitIsCostly: () => (strapi.db.dialect as { client?: string }).client === 'sqlite',

    async consume(id, at) {
      const consumed = await query().updateMany({
        where: { id, consumedAt: null },
        data: { consumedAt: at, updatedAt: at },
      });
      return consumed.count === 1;
    },

    async consumeOpenEnrolments(userId, at) {
      await query().updateMany({
        where: { userId, purpose: 'enrol', factorId: null, consumedAt: null },
        data: { consumedAt: at, updatedAt: at },
      });
    },

    async takeSendSlot(id, { maxSends, cooldownStart }, code) {
      // The send slot is taken by moving lastSentAt: of parallel resends only one can match.
      const taken = await query().updateMany({
        where: {
          id,
          consumedAt: null,
          sends: { $lt: maxSends },
          $or: [{ lastSentAt: null }, { lastSentAt: { $lte: cooldownStart } }],
        },
        data: { ...code, updatedAt: code.lastSentAt },
      });
      if (taken.count !== 1) return false;
      await incrementSends(id, 1);
      return true;
    },

    async releaseSendSlot(id, previous, at) {
      await query().updateMany({ where: { id }, data: { ...previous, updatedAt: at } });
      await incrementSends(id, -1);
    },

    async writeDecoyCode(id, code) {
      await query().updateMany({ where: { id }, data: { ...code, sends: 0, updatedAt: code.lastSentAt } });
      await incrementSends(id, 1);
    },

    async switchMethod(id, { method, factorId, phone }) {
      await query().update({ where: { id }, data: { method, factorId, phone, lastSentAt: null } });
    },

    async renewPasskeyChallenge(id, passkeyChallenge, expiresAt, at) {
      await query().updateMany({
        where: { id, consumedAt: null },
        data: { passkeyChallenge, passkeyChallengeExpiresAt: expiresAt, updatedAt: at },
      });
    },

    async deleteOpenForUser(userId) {
      await query().deleteMany({ where: { userId, consumedAt: null } });
    },

    async deleteForFactor(factorId) {
      await query().deleteMany({ where: { factorId } });
    },

    async transaction<Result>(work: () => Promise<Result>): Promise<Result> {
      return (await strapi.db.transaction(async () => work())) as Result;
    },
  };
}
