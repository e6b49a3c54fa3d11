import { type CodeMethod, codeMethod } from '@strapi-two-factor/contract';
import type { ClockService } from '../../platform/clock/clockService';
import { digestCode, isSameDigest } from '../../platform/crypto/codeDigest';
import { generateNumericCode } from '../../platform/crypto/generateNumericCode';
import { generateOpaqueToken, hashOpaqueToken } from '../../platform/crypto/opaqueToken';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { TwoFactorErrorCode } from '../../platform/errors/twoFactorErrorCodes';
import type {
  ChallengePurpose,
  ChallengeRow,
  ChallengeStore,
  CodeAttemptScope,
} from '../../platform/stores/challengeStore';
import type { AccountStateService } from '../account/accountStateService';
import type { FirstFactor } from '../assurance/assurance';
import type { EventService } from '../events/eventService';
import type { NotificationService } from '../notifications/notificationService';
import { ACCOUNT_LOCKED_NOTICE } from '../notifications/notificationService';
import type { SecretsService } from '../secrets/secretsService';
import type { SettingsService } from '../settings/settingsService';
import type { CodeVerifier, CodeVerifiers } from './codeVerifier';

export type { ChallengePurpose, ChallengeRow, CodeAttemptScope };

/** Not a SHA-256 hex digest, so no token ever hashes to it. */
const DECOY_TOKEN_HASH = 'decoy-for-timing';

/** A method whose proof is a typed code (the contract's `codeMethod`). */
export type VerificationMethod = CodeMethod;

/** What judging one attempt found; a success's own writes join the consuming transaction. */
export type Judgement =
  | { passed: true; onConsumed?: () => Promise<void> }
  | { passed: false; refusal: TwoFactorErrorCode; onRefused?: () => Promise<void> };

export interface AttemptOptions {
  /** The account the attempt counts against; a passwordless sign-in learns it from the credential. */
  userId: number | null;
  /** For the audit log and the remembered sign-in method. */
  method: string;
  /** Judges the attempt once both reservations are held; throwing gives them back. */
  judge: () => Promise<Judgement>;
}

export interface NewChallenge {
  purpose: ChallengePurpose;
  userId: number | null;
  factorId?: number | null;
  method: string;
  phone?: string | null;
  deviceId?: string | null;
  firstFactor?: FirstFactor;
  /** A WebAuthn challenge for this row, valid `lifetimeSeconds` (and never past the row). */
  passkeyChallenge?: { challenge: string; lifetimeSeconds: number };
  /** Overrides `challengeLifetimeSeconds`. */
  lifetimeSeconds?: number;
  /**
   * Writes the first code (`issueCode`'s work) with the row, in its one INSERT: a new row's
   * send slot is always free. The result then carries `issued`.
   */
  withFirstCode?: boolean;
}

export interface IssuedCode {
  /** Our code to send, or `undefined` when the provider makes its own (Twilio Verify). */
  code: string | undefined;
  /** Puts the send slot and the previous code back, for when the SMS could not leave. */
  release(): Promise<void>;
}

export interface ChallengeService {
  create(input: NewChallenge): Promise<{ token: string; challenge: ChallengeRow; issued?: IssuedCode }>;
  /**
   * The open challenge behind `token`, for one of `purposes`; throws `INVALID_CHALLENGE`,
   * `CHALLENGE_USED` or `CHALLENGE_EXPIRED` otherwise.
   */
  findOpen(token: unknown, purposes: readonly ChallengePurpose[]): Promise<ChallengeRow>;
  /**
   * The newest open challenge of `purpose` for a factor or a user, for flows whose client
   * holds no challenge token (enrolment, step-up); `undefined` when there is none.
   */
  findNewestOpen(
    owner: { factorId: number } | { userId: number; method?: string },
    purpose: ChallengePurpose,
  ): Promise<ChallengeRow | undefined>;
  /**
   * Takes a send slot (cooldown, cap per challenge) and, unless the provider makes codes,
   * replaces the code: a resend invalidates the previous code; attempts are not reset.
   */
  issueCode(challenge: ChallengeRow): Promise<IssuedCode>;
  /**
   * Judges `code` by `method` (`sms`: the code this challenge sent; `totp`: the user's
   * authenticator app; `recovery_code`: one of their recovery codes) and consumes the
   * challenge when right. Every attempt counts against the challenge, wrong ones against
   * the account too; throws the contract's errors. `onPassed` runs in the consuming
   * transaction: throwing there undoes the success.
   */
  verify(
    challenge: ChallengeRow,
    method: VerificationMethod,
    code: unknown,
    onPassed?: (passed: ChallengeRow) => Promise<void>,
  ): Promise<ChallengeRow>;
  /**
   * A sign-in's code by its challenge's token, for a code this plugin made (SMS, email): the
   * challenge's attempt, its single use when right and its row in one statement, then what
   * `verify` settles. `undefined` when that statement found no open challenge in `scope` for
   * `method` (or the database returns no rows from an `UPDATE`) and changed nothing: the
   * caller then takes `findOpen` and `verify`, which name what failed, in their order.
   */
  verifyByToken(
    token: unknown,
    scope: Omit<CodeAttemptScope, 'method'>,
    method: VerificationMethod,
    code: unknown,
    onPassed?: (passed: ChallengeRow) => Promise<void>,
  ): Promise<ChallengeRow | undefined>;
  /**
   * One attempt at an open challenge by any method: the challenge's and the account's
   * attempts are reserved atomically before `judge` runs, a refusal settles as a failure
   * (lock-out included), a success consumes the challenge atomically (one winner among
   * parallel requests). Returns the consumed row.
   */
  attempt(challenge: ChallengeRow, options: AttemptOptions): Promise<ChallengeRow>;
  /** Gives the row a new WebAuthn challenge, replacing the old one. */
  renewPasskeyChallenge(challenge: ChallengeRow, passkeyChallenge: string, lifetimeSeconds: number): Promise<Date>;
  /**
   * The database work of `issueCode` against no row, for answers about unknown numbers that
   * must cost what a real send costs (enumeration by timing).
   */
  issueNoCode(): Promise<void>;
  /** `resendAvailableAt` for the client. */
  resendAvailableAt(challenge: ChallengeRow): Date;
  /**
   * Burns the enrolment-only login `challengeId` (`CHALLENGE_USED` when another request did
   * first) and every other open one of the user's; returns the row as it was read.
   */
  consumeEnrolment(challengeId: number, userId: number): Promise<ChallengeRow | null>;
  /**
   * Points a sign-in challenge at another factor (app → SMS, SMS → email …): the cooldown
   * starts afresh for it, the cap of sends still counts all.
   */
  switchMethod(
    challenge: ChallengeRow,
    to: { method: string; factorId: number | null; phone: string | null },
  ): Promise<void>;
  /** Deletes the challenges of a factor (a discarded phone sign-up). */
  deleteForFactor(factorId: number): Promise<void>;
  /** Deletes a user's open challenges (admin reset: a sign-in under way dies with its factors). */
  deleteOpenForUser(userId: number): Promise<void>;
}

function isCodeMethod(method: string | null): method is VerificationMethod {
  return (codeMethod.options as readonly (string | null)[]).includes(method);
}

/** A challenge token's shape: anything else names no challenge. */
function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && token.length >= 32 && token.length <= 100;
}

/** An attempt at a code the challenge holds, once taken: the row after it (its attempts included). */
interface TakenAttempt {
  challenge: ChallengeRow;
  passed: boolean;
  at: Date;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

export function createChallengeService({
  store,
  verifiers,
  accountState,
  clock,
  events,
  notifications,
  secrets,
  settings,
}: {
  store: ChallengeStore;
  verifiers: CodeVerifiers;
  accountState: AccountStateService;
  clock: ClockService;
  events: EventService;
  notifications: NotificationService;
  secrets: SecretsService;
  settings: SettingsService;
}): ChallengeService {
  const now = (): Date => clock.now();
  const config = () => settings.config();
  const codeKey = (): Buffer => secrets.codeHmacKey();

  let decoyId: number | undefined;

  /** The row `issueNoCode` writes to: consumed and long expired, so nothing can ever use it. */
  async function ensureDecoyRow(): Promise<number> {
    const existing = await store.findByTokenHash(DECOY_TOKEN_HASH);
    if (existing !== null) return existing.id;
    const epoch = new Date(0);
    try {
      const created = await store.insert({
        tokenHash: DECOY_TOKEN_HASH,
        purpose: 'signup',
        userId: null,
        method: 'sms',
        expiresAt: epoch,
        consumedAt: epoch,
        attempts: 0,
        sends: 0,
      });
      return created.id;
    } catch (error) {
      const raced = await store.findByTokenHash(DECOY_TOKEN_HASH);
      if (raced === null) throw error;
      return raced.id;
    }
  }

  /** A new code for `challenge` (none when Twilio Verify makes it), sent at `sentAt`. */
  function codeFor(
    challenge: Pick<ChallengeRow, 'method' | 'tokenHash'>,
    sentAt: Date,
  ): { code: string | undefined; columns: { lastSentAt: Date; codeHash: string | null; codeExpiresAt: Date } } {
    const { codeLength, codeLifetimeSeconds } = config();
    // Twilio Verify makes its own SMS codes; email codes are always ours.
    const verifier = isCodeMethod(challenge.method) ? verifiers[challenge.method] : undefined;
    const providerMakesCode = verifier !== undefined && !verifier.judgedByChallenge();
    const code = providerMakesCode ? undefined : generateNumericCode(codeLength);
    const codeHash = code === undefined ? null : digestCode(codeKey(), challenge.tokenHash, code);
    return {
      code,
      columns: { lastSentAt: sentAt, codeHash, codeExpiresAt: new Date(sentAt.getTime() + codeLifetimeSeconds * 1000) },
    };
  }

  /** Nothing was delivered: give the send slot back and keep the `previous` code valid. */
  function releaseFor(
    challenge: ChallengeRow,
    previous: Pick<ChallengeRow, 'lastSentAt' | 'codeHash' | 'codeExpiresAt'>,
  ): () => Promise<void> {
    return async () => {
      const { lastSentAt, codeHash, codeExpiresAt } = previous;
      await store.releaseSendSlot(
        challenge.id,
        { lastSentAt: lastSentAt === null ? null : toDate(lastSentAt), codeHash, codeExpiresAt },
        now(),
      );
    };
  }

  async function reload(id: number): Promise<ChallengeRow> {
    return (await store.findById(id)) as ChallengeRow;
  }

  function assertOpen(challenge: ChallengeRow): void {
    if (challenge.consumedAt !== null) throw twoFactorError('CHALLENGE_USED');
    if (toDate(challenge.expiresAt) <= now()) throw twoFactorError('CHALLENGE_EXPIRED');
  }

  /**
   * One attempt, reserved atomically before the code is judged: of any number of parallel
   * requests, at most `maxAttemptsPerChallenge` are ever judged (Twilio Verify 60202 rule).
   */
  async function reserveAttempt(challenge: ChallengeRow): Promise<void> {
    if (await store.reserveAttempt(challenge.id, config().maxAttemptsPerChallenge)) return;
    const latest = await reload(challenge.id);
    assertOpen(latest);
    throw twoFactorError('TOO_MANY_ATTEMPTS');
  }

  /**
   * Settles a refused attempt: the account's failure (and lock-out) with its event, then the
   * refusal with the attempts the challenge has left.
   */
  async function recordRefusal(
    challenge: ChallengeRow,
    userId: number | null,
    method: string,
    refusal: TwoFactorErrorCode,
  ): Promise<never> {
    const { maxAttemptsPerChallenge } = config();
    if (userId !== null) {
      // The failure's writes in one transaction: one commit, and no lock without its event.
      const failure = await store.transaction(async () => {
        await events.record('sign-in.failed', userId, { purpose: challenge.purpose, method });
        const settled = await accountState.recordFailure(userId);
        if (settled.locked)
          await events.record('account.locked', userId, { lockoutSeconds: settled.retryAfterSeconds });
        return settled;
      });
      if (failure.locked) {
        // Wrong codes mean someone has the password: the owner hears of it (ASVS 5.0 6.3.4).
        await notifications.securityChange(userId, ACCOUNT_LOCKED_NOTICE);
        throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: failure.retryAfterSeconds });
      }
    }
    const latest = await reload(challenge.id);
    const attemptsRemaining = Math.max(0, maxAttemptsPerChallenge - latest.attempts);
    throw twoFactorError(refusal, { attemptsRemaining });
  }

  /** Thrown inside `attemptOwnCode`'s writes to undo them when the account refused. */
  class AccountRefused extends Error {}

  /**
   * The attempt at a row already read: the digests are compared first, which changes nothing,
   * and the verdict counts only once the attempt is taken. Refused, a right and a wrong code
   * send the same statements (only a bound value differs), so a code tried past the cap
   * cannot be told right by time.
   */
  function takeById(challenge: ChallengeRow, code: string): () => Promise<TakenAttempt | undefined> {
    const passed =
      challenge.codeHash !== null && isSameDigest(challenge.codeHash, digestCode(codeKey(), challenge.tokenHash, code));
    return async () => {
      const at = now();
      const consumedAt = passed ? at : null;
      const attempts = await store.takeCodeAttempt(challenge.id, config().maxAttemptsPerChallenge, { consumedAt, at });
      return attempts === undefined ? undefined : { challenge: { ...challenge, attempts, consumedAt }, passed, at };
    };
  }

  /**
   * One attempt at a code this plugin made (SMS or email, not Twilio Verify). `take` takes the
   * challenge's attempt and, for a right code, its single use, in one `UPDATE … WHERE
   * consumed_at IS NULL AND attempts < max` (`takeById`, or by token with the row read back);
   * then the account's attempt is taken and settled in one `UPDATE … WHERE reserved_attempts <
   * max AND not locked`; then the success's or the failure's writes and events. Each `UPDATE`
   * is atomic on its own, so parallel requests on any number of instances exceed neither cap.
   *
   * Where a commit is costly (SQLite) all of it is one transaction: one fsync, and a throw
   * rolls everything back. Elsewhere the challenge's `UPDATE` stands alone (no `BEGIN`/`COMMIT`
   * round trips for a wrong code): a right code's writes follow in one transaction, and a
   * throw there gives the attempt and the single use back (`returnCodeAttempt`), as a rollback
   * would; a wrong code's writes are each their own statement, and when the account refuses,
   * the attempt is given back. A locked account spends no challenge attempt either way. If the
   * giving back itself fails, the challenge stays used: the sign-in starts again, nothing is
   * issued.
   *
   * Returns the used row, or `undefined` when `take` matched nothing (nothing was written).
   */
  async function attemptOwnCode(
    firstTake: () => Promise<TakenAttempt | undefined>,
    verifier: CodeVerifier,
    code: string,
    onPassed: ((passed: ChallengeRow) => Promise<void>) | undefined,
  ): Promise<ChallengeRow | undefined> {
    const method = verifier.method;
    const { maxAttemptsPerChallenge } = config();
    const inOneTransaction = store.commitIsCostly();

    /** The account's attempt, then the success's or the failure's writes and events. */
    const settle = async ({ challenge, passed }: TakenAttempt) => {
      const userId = challenge.userId;
      let settled = { locked: false, retryAfterSeconds: 0 };
      if (userId !== null) {
        // Only a sign-in tells which method the user prefers; enrolment and step-up do not.
        const signedInWith = challenge.purpose === 'login' || challenge.purpose === 'phone-login' ? method : undefined;
        const account = await accountState.settleJudged(
          userId,
          passed ? { passed: true, signedInWith } : { passed: false },
        );
        if (account === undefined) throw new AccountRefused();
        settled = account;
      }
      if (passed) {
        await verifier.onConsumed?.(challenge);
        await onPassed?.(challenge);
      } else if (userId !== null) {
        await events.record('sign-in.failed', userId, { purpose: challenge.purpose, method });
        if (settled.locked)
          await events.record('account.locked', userId, { lockoutSeconds: settled.retryAfterSeconds });
      }
      return settled;
    };

    let take = firstTake;
    for (let round = 0; ; round += 1) {
      const held: { taken?: TakenAttempt } = {};
      const takeAndSettle = async () => {
        held.taken = await take();
        if (held.taken === undefined) return undefined;
        if (!held.taken.passed || inOneTransaction) return settle(held.taken);
        const taken = held.taken;
        return store.transaction(() => settle(taken));
      };
      let settled: { locked: boolean; retryAfterSeconds: number } | undefined;
      try {
        settled = inOneTransaction ? await store.transaction(takeAndSettle) : await takeAndSettle();
      } catch (error) {
        const taken = held.taken;
        if (taken === undefined) throw error;
        // In one transaction the rollback gave the attempt back; alone, this does.
        if (!inOneTransaction && (taken.passed || error instanceof AccountRefused))
          await store.returnCodeAttempt(taken.challenge.id, taken.passed ? taken.at : null);
        const userId = taken.challenge.userId;
        if (!(error instanceof AccountRefused) || userId === null) throw error;
        const refusal = await accountState.refusedAttempt(userId);
        // No row yet (the account's first second step made it), or the row changed under this
        // attempt: once more, a bounded number of times.
        if (refusal === undefined && round < 2) {
          take = takeById({ ...taken.challenge, consumedAt: null }, code);
          continue;
        }
        throw refusal ?? twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: 1 });
      }
      const taken = held.taken;
      if (settled === undefined || taken === undefined) return undefined;
      if (taken.passed) return taken.challenge;
      const userId = taken.challenge.userId;
      if (settled.locked && userId !== null) {
        // Wrong codes mean someone has the password: the owner hears of it (ASVS 5.0 6.3.4).
        await notifications.securityChange(userId, ACCOUNT_LOCKED_NOTICE);
        throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: settled.retryAfterSeconds });
      }
      throw twoFactorError('INVALID_CODE', {
        attemptsRemaining: Math.max(0, maxAttemptsPerChallenge - taken.challenge.attempts),
      });
    }
  }

  async function attempt(challenge: ChallengeRow, { userId, method, judge }: AttemptOptions): Promise<ChallengeRow> {
    if (userId !== null) await accountState.assertNotLocked(userId);
    await reserveAttempt(challenge);
    // Then one of the account's: an attempt is judged only with both reserved, so parallel
    // requests can exceed neither the challenge's cap nor the account's lock-out.
    if (userId !== null) await accountState.reserveAttempt(userId);
    let judgement: Judgement;
    try {
      judgement = await judge();
    } catch (error) {
      // Not judged (the provider's check failed or the code had expired there): the
      // account's reservation is given back, never left to count against the owner.
      if (userId !== null) await accountState.releaseAttempt(userId);
      throw error;
    }
    if (!judgement.passed) {
      await judgement.onRefused?.();
      return recordRefusal(challenge, userId, method, judgement.refusal);
    }

    // Single use: burn the challenge atomically before issuing anything (ASVS 2.7.3). The
    // success's writes share one transaction: one commit (one fsync on SQLite), not four.
    const consumedAt = now();
    const settled = store.transaction(async () => {
      if (!(await store.consume(challenge.id, consumedAt))) throw twoFactorError('CHALLENGE_USED');
      await judgement.onConsumed?.();
      if (userId !== null) {
        // Only a sign-in tells which method the user prefers; enrolment and step-up do not.
        const signedInWith = challenge.purpose === 'login' || challenge.purpose === 'phone-login' ? method : undefined;
        await accountState.recordSuccess(userId, signedInWith);
      }
    });
    try {
      await settled;
    } catch (error) {
      // Rolled back (another request used the challenge first): this attempt settled
      // nothing, so its account reservation is given back.
      if (userId !== null) await accountState.releaseAttempt(userId);
      throw error;
    }
    return { ...challenge, userId, consumedAt };
  }

  return {
    async create(input) {
      const token = generateOpaqueToken();
      const createdAt = now();
      const expiresAt = new Date(
        createdAt.getTime() + (input.lifetimeSeconds ?? config().challengeLifetimeSeconds) * 1000,
      );
      const passkey = input.passkeyChallenge;
      const data = {
        tokenHash: hashOpaqueToken(token),
        purpose: input.purpose,
        userId: input.userId,
        factorId: input.factorId ?? null,
        method: input.method,
        phone: input.phone ?? null,
        deviceId: input.deviceId ?? null,
        firstFactor: input.firstFactor ?? null,
        expiresAt,
        passkeyChallenge: passkey?.challenge ?? null,
        passkeyChallengeExpiresAt:
          passkey === undefined
            ? null
            : new Date(Math.min(createdAt.getTime() + passkey.lifetimeSeconds * 1000, expiresAt.getTime())),
        attempts: 0,
        sends: 0,
        createdAt,
        updatedAt: createdAt,
      };
      if (input.withFirstCode !== true) {
        const challenge = await store.insert(data);
        return { token, challenge };
      }
      // The row and its first code in one INSERT (createMany: no read back of what we hold).
      const firstCode = codeFor(
        { ...data, method: input.method } as Pick<ChallengeRow, 'method' | 'tokenHash'>,
        createdAt,
      );
      const row = { ...data, ...firstCode.columns, sends: 1 };
      const challenge: ChallengeRow = { consumedAt: null, ...row, id: await store.insertWithoutReading(row) };
      return {
        token,
        challenge,
        issued: {
          code: firstCode.code,
          release: releaseFor(challenge, { lastSentAt: null, codeHash: null, codeExpiresAt: null }),
        },
      };
    },

    async findOpen(token, purposes) {
      if (!isTokenShaped(token)) throw twoFactorError('INVALID_CHALLENGE');
      const challenge = await store.findByTokenHash(hashOpaqueToken(token));
      // A challenge is bound to its purpose: a sign-up token never finishes a login.
      if (challenge === null || !purposes.includes(challenge.purpose)) throw twoFactorError('INVALID_CHALLENGE');
      assertOpen(challenge);
      return challenge;
    },

    async findNewestOpen(owner, purpose) {
      return (await store.findNewestOpen(owner, purpose, now())) ?? undefined;
    },

    async issueCode(challenge) {
      const { maxSendsPerChallenge, resendCooldownSeconds } = config();
      const sentAt = now();
      const cooldownStart = new Date(sentAt.getTime() - resendCooldownSeconds * 1000);
      const {
        code,
        columns: { codeHash, codeExpiresAt },
      } = codeFor(challenge, sentAt);

      const taken = await store.takeSendSlot(
        challenge.id,
        { maxSends: maxSendsPerChallenge, cooldownStart },
        { lastSentAt: sentAt, codeHash, codeExpiresAt },
      );
      if (!taken) {
        const latest = await reload(challenge.id);
        assertOpen(latest);
        if (latest.sends >= maxSendsPerChallenge) throw twoFactorError('SEND_LIMIT_REACHED');
        const availableAt = this.resendAvailableAt(latest);
        throw twoFactorError('RESEND_TOO_SOON', {
          retryAfterSeconds: Math.max(1, Math.ceil((availableAt.getTime() - sentAt.getTime()) / 1000)),
          resendAvailableAt: availableAt.toISOString(),
        });
      }
      return { code, release: releaseFor(challenge, challenge) };
    },

    async verify(challenge, method, code, onPassed) {
      const verifier = verifiers[method];
      if (typeof code !== 'string' || !verifier.format.test(code))
        throw twoFactorError('INVALID_INPUT', { fields: ['code'] });
      if (verifier.sent) {
        // A code exists only once one was sent, by this method, for this challenge.
        if (challenge.method !== method) throw twoFactorError('METHOD_NOT_AVAILABLE');
        if (verifier.judgedByChallenge()) {
          if (challenge.codeExpiresAt === null || toDate(challenge.codeExpiresAt) <= now()) {
            // A locked account hears that first, as it does from every other method.
            if (challenge.userId !== null) await accountState.assertNotLocked(challenge.userId);
            throw twoFactorError('CODE_EXPIRED');
          }
          const used = await attemptOwnCode(takeById(challenge, code), verifier, code, onPassed);
          if (used !== undefined) return used;
          assertOpen(await reload(challenge.id));
          throw twoFactorError('TOO_MANY_ATTEMPTS');
        }
      }
      return attempt(challenge, {
        userId: challenge.userId,
        method,
        judge: async (): Promise<Judgement> => {
          if (!(await verifier.verify(challenge, code))) return { passed: false, refusal: 'INVALID_CODE' };
          return {
            passed: true,
            onConsumed: async () => {
              await verifier.onConsumed?.(challenge);
              await onPassed?.(challenge);
            },
          };
        },
      });
    },

    async verifyByToken(token, scope, method, code, onPassed) {
      const verifier = verifiers[method];
      if (!isTokenShaped(token) || typeof code !== 'string' || !verifier.format.test(code)) return undefined;
      if (!verifier.sent || !verifier.judgedByChallenge()) return undefined;
      const tokenHash = hashOpaqueToken(token);
      // Compared in the statement's CASE, not in constant time: the digest is keyed (HMAC), so
      // a caller cannot choose the bytes a comparison would stop at.
      const codeHash = digestCode(codeKey(), tokenHash, code);
      const take = async (): Promise<TakenAttempt | undefined> => {
        const at = now();
        const row = await store.takeCodeAttemptByToken({
          tokenHash,
          scope: { ...scope, method },
          codeHash,
          maxAttempts: config().maxAttemptsPerChallenge,
          at,
        });
        return row === undefined ? undefined : { challenge: row, passed: row.consumedAt !== null, at };
      };
      return attemptOwnCode(take, verifier, code, onPassed);
    },

    attempt,

    async renewPasskeyChallenge(challenge, passkeyChallenge, lifetimeSeconds) {
      const renewedAt = now();
      const expiresAt = new Date(
        Math.min(renewedAt.getTime() + lifetimeSeconds * 1000, toDate(challenge.expiresAt).getTime()),
      );
      await store.renewPasskeyChallenge(challenge.id, passkeyChallenge, expiresAt, renewedAt);
      return expiresAt;
    },

    async issueNoCode() {
      // A real write to a row that stands for nothing: a write costs what a write costs, so
      // a no-op UPDATE would answer faster than a real resend and tell numbers apart.
      decoyId ??= await ensureDecoyRow();
      const sentAt = now();
      const codeHash = digestCode(codeKey(), DECOY_TOKEN_HASH, generateNumericCode(config().codeLength));
      await store.writeDecoyCode(decoyId, { lastSentAt: sentAt, codeHash, codeExpiresAt: sentAt });
    },

    async consumeEnrolment(challengeId, userId) {
      const consumedAt = now();
      const enrolment = await store.findById(challengeId);
      if (!(await store.consume(challengeId, consumedAt))) throw twoFactorError('CHALLENGE_USED');
      // Enrolment is over: every other enrolment-only token of the user dies with this one, in
      // one UPDATE, or a password thief holding an older token could still add a factor of
      // their own and get a full login (issue 11). Factor enrolment codes (factorId set) stay.
      await store.consumeOpenEnrolments(userId, consumedAt);
      return enrolment;
    },

    async switchMethod(challenge, to) {
      await store.switchMethod(challenge.id, to);
    },

    deleteForFactor: (factorId) => store.deleteForFactor(factorId),

    deleteOpenForUser: (userId) => store.deleteOpenForUser(userId),

    resendAvailableAt(challenge) {
      const base = challenge.lastSentAt === null ? now() : toDate(challenge.lastSentAt);
      return new Date(base.getTime() + config().resendCooldownSeconds * 1000);
    },
  };
}
