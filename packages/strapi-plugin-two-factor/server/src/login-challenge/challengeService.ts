import type { Core } from '@strapi/strapi';
import type { FirstFactor } from '../assurance/assurance';
import { digestCode, isSameDigest } from '../crypto/codeDigest';
import { generateNumericCode } from '../crypto/generateNumericCode';
import { generateOpaqueToken, hashOpaqueToken } from '../crypto/opaqueToken';
import { twoFactorError } from '../errors/twoFactorError';
import type { TwoFactorErrorCode } from '../errors/twoFactorErrorCodes';
import { ACCOUNT_LOCKED_NOTICE } from '../notifications/notificationService';
import { getService } from '../utils/getService';

export const CHALLENGE_UID = 'plugin::two-factor.challenge';

/** Not a SHA-256 hex digest, so no token ever hashes to it. */
const DECOY_TOKEN_HASH = 'decoy-for-timing';

export type VerificationMethod = 'sms' | 'email' | 'totp' | 'recovery_code';

export type ChallengePurpose =
  | 'login'
  | 'signup'
  | 'phone-login'
  | 'enrol'
  | 'step-up'
  | 'passkey-register'
  | 'passkey-login';

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
}

export interface IssuedCode {
  /** Our code to send, or `undefined` when the provider makes its own (Twilio Verify). */
  code: string | undefined;
  /** Puts the send slot and the previous code back, for when the SMS could not leave. */
  release(): Promise<void>;
}

export interface ChallengeService {
  create(input: NewChallenge): Promise<{ token: string; challenge: ChallengeRow }>;
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
   * the account too; throws the contract's errors.
   */
  verify(challenge: ChallengeRow, method: VerificationMethod, code: unknown): Promise<ChallengeRow>;
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
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

export function createChallengeService({ strapi }: { strapi: Core.Strapi }): ChallengeService {
  const query = () => strapi.db.query(CHALLENGE_UID);
  const now = (): Date => getService(strapi, 'clock').now();
  const config = () => getService(strapi, 'settings').config();
  const codeKey = (): Buffer => getService(strapi, 'secrets').codeHmacKey();

  let decoyId: number | undefined;

  /** The row `issueNoCode` writes to: consumed and long expired, so nothing can ever use it. */
  async function ensureDecoyRow(): Promise<number> {
    const existing = (await query().findOne({ where: { tokenHash: DECOY_TOKEN_HASH } })) as ChallengeRow | null;
    if (existing !== null) return existing.id;
    const epoch = new Date(0);
    try {
      const created = (await query().create({
        data: {
          tokenHash: DECOY_TOKEN_HASH,
          purpose: 'signup',
          userId: null,
          method: 'sms',
          expiresAt: epoch,
          consumedAt: epoch,
          attempts: 0,
          sends: 0,
        },
      })) as ChallengeRow;
      return created.id;
    } catch (error) {
      const raced = (await query().findOne({ where: { tokenHash: DECOY_TOKEN_HASH } })) as ChallengeRow | null;
      if (raced === null) throw error;
      return raced.id;
    }
  }

  async function reload(id: number): Promise<ChallengeRow> {
    return (await query().findOne({ where: { id } })) as ChallengeRow;
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
    const reserved = await strapi.db
      .queryBuilder(CHALLENGE_UID)
      .where({ id: challenge.id, consumedAt: null, attempts: { $lt: config().maxAttemptsPerChallenge } })
      .increment('attempts', 1)
      .execute<number>();
    if (reserved === 1) return;
    const latest = await reload(challenge.id);
    assertOpen(latest);
    throw twoFactorError('TOO_MANY_ATTEMPTS');
  }

  async function judge(challenge: ChallengeRow, method: VerificationMethod, code: string): Promise<boolean> {
    const userId = challenge.userId;
    if (method === 'totp') return userId !== null && getService(strapi, 'totp').consumeCode(userId, code);
    if (method === 'recovery_code') return userId !== null && getService(strapi, 'recoveryCodes').consume(userId, code);
    if (method === 'sms' && getService(strapi, 'sms').providerChecksCodes()) {
      // A decoy phone sign-in has no verification at Twilio: wrong, like any wrong code.
      if (userId === null) return false;
      const verdict = await getService(strapi, 'sms').checkProviderCode(challenge.phone ?? '', code);
      if (verdict === 'expired') throw twoFactorError('CODE_EXPIRED');
      return verdict === 'approved';
    }
    if (challenge.codeHash === null) return false;
    return isSameDigest(challenge.codeHash, digestCode(codeKey(), challenge.tokenHash, code));
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
      const events = getService(strapi, 'events');
      // The failure's writes in one transaction: one commit, and no lock without its event.
      const failure = await strapi.db.transaction(async () => {
        await events.record('sign-in.failed', userId, { purpose: challenge.purpose, method });
        const settled = await getService(strapi, 'accountState').recordFailure(userId);
        if (settled.locked)
          await events.record('account.locked', userId, { lockoutSeconds: settled.retryAfterSeconds });
        return settled;
      });
      if (failure.locked) {
        // Wrong codes mean someone has the password: the owner hears of it (ASVS 5.0 6.3.4).
        await getService(strapi, 'notifications').securityChange(userId, ACCOUNT_LOCKED_NOTICE);
        throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: failure.retryAfterSeconds });
      }
    }
    const latest = await reload(challenge.id);
    const attemptsRemaining = Math.max(0, maxAttemptsPerChallenge - latest.attempts);
    throw twoFactorError(refusal, { attemptsRemaining });
  }

  async function attempt(challenge: ChallengeRow, { userId, method, judge }: AttemptOptions): Promise<ChallengeRow> {
    if (userId !== null) await getService(strapi, 'accountState').assertNotLocked(userId);
    await reserveAttempt(challenge);
    // Then one of the account's: an attempt is judged only with both reserved, so parallel
    // requests can exceed neither the challenge's cap nor the account's lock-out.
    if (userId !== null) await getService(strapi, 'accountState').reserveAttempt(userId);
    let judgement: Judgement;
    try {
      judgement = await judge();
    } catch (error) {
      // Not judged (the provider's check failed or the code had expired there): the
      // account's reservation is given back, never left to count against the owner.
      if (userId !== null) await getService(strapi, 'accountState').releaseAttempt(userId);
      throw error;
    }
    if (!judgement.passed) {
      await judgement.onRefused?.();
      return recordRefusal(challenge, userId, method, judgement.refusal);
    }

    // Single use: burn the challenge atomically before issuing anything (ASVS 2.7.3). The
    // success's writes share one transaction: one commit (one fsync on SQLite), not four.
    const consumedAt = now();
    const settled = strapi.db.transaction(async () => {
      const consumed = await query().updateMany({
        where: { id: challenge.id, consumedAt: null },
        data: { consumedAt, updatedAt: consumedAt },
      });
      if (consumed.count !== 1) throw twoFactorError('CHALLENGE_USED');
      await judgement.onConsumed?.();
      if (userId !== null) {
        // Only a sign-in tells which method the user prefers; enrolment and step-up do not.
        const signedInWith = challenge.purpose === 'login' || challenge.purpose === 'phone-login' ? method : undefined;
        await getService(strapi, 'accountState').recordSuccess(userId, signedInWith);
      }
    });
    try {
      await settled;
    } catch (error) {
      // Rolled back (another request used the challenge first): this attempt settled
      // nothing, so its account reservation is given back.
      if (userId !== null) await getService(strapi, 'accountState').releaseAttempt(userId);
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
      const challenge = (await query().create({
        data: {
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
        },
      })) as ChallengeRow;
      return { token, challenge };
    },

    async findOpen(token, purposes) {
      if (typeof token !== 'string' || token.length < 32 || token.length > 100)
        throw twoFactorError('INVALID_CHALLENGE');
      const challenge = (await query().findOne({
        where: { tokenHash: hashOpaqueToken(token) },
      })) as ChallengeRow | null;
      // A challenge is bound to its purpose: a sign-up token never finishes a login.
      if (challenge === null || !purposes.includes(challenge.purpose)) throw twoFactorError('INVALID_CHALLENGE');
      assertOpen(challenge);
      return challenge;
    },

    async findNewestOpen(owner, purpose) {
      const challenge = (await query().findOne({
        where: { ...owner, purpose, consumedAt: null, expiresAt: { $gt: now() } },
        orderBy: { id: 'desc' },
      })) as ChallengeRow | null;
      return challenge ?? undefined;
    },

    async issueCode(challenge) {
      const { maxSendsPerChallenge, resendCooldownSeconds, codeLength, codeLifetimeSeconds } = config();
      const sentAt = now();
      const cooldownStart = new Date(sentAt.getTime() - resendCooldownSeconds * 1000);
      // Twilio Verify makes its own SMS codes; email codes are always ours.
      const providerMakesCode = challenge.method === 'sms' && getService(strapi, 'sms').providerChecksCodes();
      const code = providerMakesCode ? undefined : generateNumericCode(codeLength);
      const codeHash = code === undefined ? null : digestCode(codeKey(), challenge.tokenHash, code);
      const codeExpiresAt = new Date(sentAt.getTime() + codeLifetimeSeconds * 1000);

      // The send slot is taken by moving lastSentAt: of parallel resends only one can match.
      const taken = await query().updateMany({
        where: {
          id: challenge.id,
          consumedAt: null,
          sends: { $lt: maxSendsPerChallenge },
          $or: [{ lastSentAt: null }, { lastSentAt: { $lte: cooldownStart } }],
        },
        data: { lastSentAt: sentAt, codeHash, codeExpiresAt, updatedAt: sentAt },
      });
      if (taken.count !== 1) {
        const latest = await reload(challenge.id);
        assertOpen(latest);
        if (latest.sends >= maxSendsPerChallenge) throw twoFactorError('SEND_LIMIT_REACHED');
        const availableAt = this.resendAvailableAt(latest);
        throw twoFactorError('RESEND_TOO_SOON', {
          retryAfterSeconds: Math.max(1, Math.ceil((availableAt.getTime() - sentAt.getTime()) / 1000)),
          resendAvailableAt: availableAt.toISOString(),
        });
      }
      await strapi.db.queryBuilder(CHALLENGE_UID).where({ id: challenge.id }).increment('sends', 1).execute();

      return {
        code,
        release: async () => {
          // Nothing was delivered: give the slot back and keep the previous code valid.
          await query().updateMany({
            where: { id: challenge.id },
            data: {
              lastSentAt: challenge.lastSentAt,
              codeHash: challenge.codeHash,
              codeExpiresAt: challenge.codeExpiresAt,
              updatedAt: now(),
            },
          });
          await strapi.db.queryBuilder(CHALLENGE_UID).where({ id: challenge.id }).decrement('sends', 1).execute();
        },
      };
    },

    async verify(challenge, method, code) {
      const format = method === 'recovery_code' ? /^[0-9A-Za-z\s-]{10,20}$/ : /^\d{4,10}$/;
      if (typeof code !== 'string' || !format.test(code)) throw twoFactorError('INVALID_INPUT', { fields: ['code'] });
      if (challenge.userId !== null) await getService(strapi, 'accountState').assertNotLocked(challenge.userId);
      if (method === 'sms' || method === 'email') {
        // A code exists only once one was sent, by this method, for this challenge.
        if (challenge.method !== method) throw twoFactorError('METHOD_NOT_AVAILABLE');
        const usesOwnCodes = method === 'email' || !getService(strapi, 'sms').providerChecksCodes();
        if (usesOwnCodes && (challenge.codeExpiresAt === null || toDate(challenge.codeExpiresAt) <= now())) {
          throw twoFactorError('CODE_EXPIRED');
        }
      }
      const userId = challenge.userId;
      return attempt(challenge, {
        userId,
        method,
        judge: async (): Promise<Judgement> => {
          if (!(await judge(challenge, method, code))) return { passed: false, refusal: 'INVALID_CODE' };
          return {
            passed: true,
            onConsumed: async () => {
              if (userId !== null && method === 'recovery_code') {
                await getService(strapi, 'events').record('recovery-code.used', userId, {
                  purpose: challenge.purpose,
                });
              }
              if ((method === 'sms' || method === 'email') && challenge.factorId !== null) {
                await getService(strapi, 'factors').markUsed(challenge.factorId);
              }
            },
          };
        },
      });
    },

    attempt,

    async renewPasskeyChallenge(challenge, passkeyChallenge, lifetimeSeconds) {
      const renewedAt = now();
      const expiresAt = new Date(
        Math.min(renewedAt.getTime() + lifetimeSeconds * 1000, toDate(challenge.expiresAt).getTime()),
      );
      await query().updateMany({
        where: { id: challenge.id, consumedAt: null },
        data: { passkeyChallenge, passkeyChallengeExpiresAt: expiresAt, updatedAt: renewedAt },
      });
      return expiresAt;
    },

    async issueNoCode() {
      // A real write to a row that stands for nothing: a write costs what a write costs, so
      // a no-op UPDATE would answer faster than a real resend and tell numbers apart.
      decoyId ??= await ensureDecoyRow();
      const sentAt = now();
      const codeHash = digestCode(codeKey(), DECOY_TOKEN_HASH, generateNumericCode(config().codeLength));
      await query().updateMany({
        where: { id: decoyId },
        data: { lastSentAt: sentAt, codeHash, codeExpiresAt: sentAt, sends: 0, updatedAt: sentAt },
      });
      await strapi.db.queryBuilder(CHALLENGE_UID).where({ id: decoyId }).increment('sends', 1).execute();
    },

    resendAvailableAt(challenge) {
      const base = challenge.lastSentAt === null ? now() : toDate(challenge.lastSentAt);
      return new Date(base.getTime() + config().resendCooldownSeconds * 1000);
    },
  };
}
