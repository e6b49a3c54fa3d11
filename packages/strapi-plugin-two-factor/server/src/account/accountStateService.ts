import type { Core } from '@strapi/strapi';
import { twoFactorError } from '../errors/twoFactorError';
import { getService } from '../utils/getService';

const UID = 'plugin::two-factor.account-state';

interface AccountStateRow {
  id: number;
  userId: number;
  consecutiveFailures: number;
  lockedUntil: string | Date | null;
  preferredMethod: string | null;
}

export interface AccountStateService {
  /** Throws `ACCOUNT_LOCKED` (429, `Retry-After`) while the account is locked. */
  assertNotLocked(userId: number): Promise<void>;
  /**
   * Takes one of the account's `maxConsecutiveFailures` before a code is judged, in one
   * `UPDATE … WHERE consecutive_failures < max AND not locked`: of any number of parallel
   * attempts at most the remaining ones are judged. Throws `ACCOUNT_LOCKED` otherwise.
   * A right code then calls `recordSuccess` (the count starts over), a wrong one
   * `recordFailure`.
   */
  reserveAttempt(userId: number): Promise<void>;
  /**
   * Settles a reserved attempt that failed: when the count has reached
   * `maxConsecutiveFailures`, the account is locked for `lockoutSeconds` (NIST 800-63B
   * §5.2.2); returns whether this failure locked it.
   */
  recordFailure(userId: number): Promise<{ locked: boolean; retryAfterSeconds: number }>;
  /** A passed second step resets the count; a sign-in also remembers its method. */
  recordSuccess(userId: number, signedInWith?: string): Promise<void>;
  /** Lifts a lock-out and resets the count (admin action). */
  unlock(userId: number): Promise<void>;
  preferredMethod(userId: number): Promise<string | undefined>;
}

export function createAccountStateService({ strapi }: { strapi: Core.Strapi }): AccountStateService {
  const query = () => strapi.db.query(UID);
  const now = (): Date => getService(strapi, 'clock').now();
  const config = () => getService(strapi, 'settings').config();

  async function find(userId: number): Promise<AccountStateRow | null> {
    return (await query().findOne({ where: { userId } })) as AccountStateRow | null;
  }

  /** The row for `userId`, created on first use; a unique index settles concurrent creation. */
  async function ensure(userId: number): Promise<AccountStateRow> {
    const existing = await find(userId);
    if (existing !== null) return existing;
    try {
      return (await query().create({
        data: { userId, consecutiveFailures: 0, createdAt: now(), updatedAt: now() },
      })) as AccountStateRow;
    } catch (error) {
      const raced = await find(userId);
      if (raced === null) throw error;
      return raced;
    }
  }

  /** One `UPDATE … WHERE consecutive_failures < max AND not locked`; false when no row matched. */
  async function tryReserve(userId: number): Promise<boolean> {
    const reserved = await strapi.db
      .queryBuilder(UID)
      .where({
        userId,
        consecutiveFailures: { $lt: config().maxConsecutiveFailures },
        $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now() } }],
      })
      .increment('consecutive_failures', 1)
      .execute<number>();
    return reserved === 1;
  }

  function secondsUntil(date: Date): number {
    return Math.max(1, Math.ceil((date.getTime() - now().getTime()) / 1000));
  }

  return {
    async assertNotLocked(userId) {
      const state = await find(userId);
      if (state?.lockedUntil == null) return;
      const lockedUntil = new Date(state.lockedUntil);
      if (lockedUntil > now()) {
        throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: secondsUntil(lockedUntil) });
      }
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
      const lockedUntil = new Date(now().getTime() + lockoutSeconds * 1000);
      // Only the failure that reached the limit locks; the count starts over for the next
      // window (in the same statement, so no other request sees a half-made lock).
      const locked = await query().updateMany({
        where: { userId, consecutiveFailures: { $gte: maxConsecutiveFailures } },
        data: { lockedUntil, consecutiveFailures: 0, updatedAt: now() },
      });
      return locked.count === 1
        ? { locked: true, retryAfterSeconds: lockoutSeconds }
        : { locked: false, retryAfterSeconds: 0 };
    },

    async recordSuccess(userId, signedInWith) {
      // A recovery code is a way back in, not a method to offer first next time.
      const preferred =
        signedInWith === undefined || signedInWith === 'recovery_code' ? {} : { preferredMethod: signedInWith };
      const update = () =>
        query().updateMany({ where: { userId }, data: { consecutiveFailures: 0, ...preferred, updatedAt: now() } });
      // The attempt's reservation made the row; only a success without one creates it.
      if ((await update()).count === 1) return;
      await ensure(userId);
      await update();
    },

    async unlock(userId) {
      await query().updateMany({
        where: { userId },
        data: { consecutiveFailures: 0, lockedUntil: null, updatedAt: now() },
      });
    },

    async preferredMethod(userId) {
      return (await find(userId))?.preferredMethod ?? undefined;
    },
  };
}
