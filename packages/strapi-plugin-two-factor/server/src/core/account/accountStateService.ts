import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { AccountStateStore } from '../../platform/stores/accountStateStore';
import type { SettingsService } from '../settings/settingsService';

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

export function createAccountStateService({
  store,
  clock,
  settings,
}: {
  store: AccountStateStore;
  clock: ClockService;
  settings: SettingsService;
}): AccountStateService {
  const now = (): Date => clock.now();
  const config = () => settings.config();

  /** One `UPDATE … WHERE reserved_attempts < max AND not locked`; false when no row matched. */
  function tryReserve(userId: number): Promise<boolean> {
    return store.tryReserveAttempt(userId, config().maxConsecutiveFailures, now());
  }

  /** A recovery code is a way back in, not a method to offer first next time. */
  function preferredAfter(signedInWith: string | undefined): string | undefined {
    return signedInWith === undefined || signedInWith === 'recovery_code' ? undefined : signedInWith;
  }

  function secondsUntil(date: Date): number {
    return Math.max(1, Math.ceil((date.getTime() - now().getTime()) / 1000));
  }

  /**
   * Why the account's row refused an attempt: the `ACCOUNT_LOCKED` to throw, or `undefined` when
   * the attempt should be tried again — there was no row (it exists now), or the row changed
   * under it (another request made it, or settled an attempt), so it is neither locked nor
   * holding every attempt. A refusal never tells a stranger's race for a lock-out.
   */
  async function refusalOf(userId: number): Promise<Error | undefined> {
    const state = await store.find(userId);
    if (state === null) {
      await store.ensure(userId, now());
      return undefined;
    }
    const lockedUntil = state.lockedUntil == null ? undefined : new Date(state.lockedUntil);
    if (lockedUntil !== undefined && lockedUntil > now()) {
      return twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: secondsUntil(lockedUntil) });
    }
    if ((state.reservedAttempts ?? 0) < config().maxConsecutiveFailures) return undefined;
    // Every attempt is in flight: they settle within the second.
    return twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: 1 });
  }

  return {
    async assertNotLocked(userId) {
      const state = await store.find(userId);
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
      for (let round = 0; round < 3; round += 1) {
        if (await tryReserve(userId)) return;
        const refusal = await refusalOf(userId);
        if (refusal !== undefined) throw refusal;
      }
      throw twoFactorError('ACCOUNT_LOCKED', { retryAfterSeconds: 1 });
    },

    async recordFailure(userId) {
      const { maxConsecutiveFailures, lockoutSeconds } = config();
      const at = now();
      const lockedUntil = new Date(at.getTime() + lockoutSeconds * 1000);
      // The reservation already counted this attempt in reserved_attempts; now it is a
      // settled failure too.
      await store.addFailure(userId);
      // Only settled failures lock, never an attempt still being judged: a success in flight
      // holds a reservation, so settled failures stay below the limit until it lands, and a
      // parallel race cannot lock the account its own winner signed in to (no serial order
      // of the same attempts could). Settled failures reach the limit only when every
      // reservation is a settled failure, so the count starts over at nothing in flight.
      const locked = await store.lockIfReached(userId, maxConsecutiveFailures, lockedUntil, at);
      return locked ? { locked: true, retryAfterSeconds: lockoutSeconds } : { locked: false, retryAfterSeconds: 0 };
    },

    async recordSuccess(userId, signedInWith) {
      const preferred = preferredAfter(signedInWith);
      // One statement: the settled failures and this attempt's own reservation leave
      // reserved_attempts (the other attempts in flight stay reserved), the failures start
      // over, and a lock is lifted: one set while this attempt was reserved cannot exist
      // (see recordFailure), so a lock here is older than a success that passed its check.
      // The attempt's reservation made the row; a success without one (none today) only
      // creates it and remembers the method.
      if (await store.settleSuccess(userId, preferred, now())) return;
      await store.ensure(userId, now());
      if (preferred !== undefined) await store.setPreferredMethod(userId, preferred);
    },

    async settleJudged(userId, outcome) {
      const { maxConsecutiveFailures, lockoutSeconds } = config();
      const at = now();
      if (outcome.passed) {
        // reserveAttempt and recordSuccess in one.
        const settled = await store.settleJudged(
          userId,
          { passed: true, preferredMethod: preferredAfter(outcome.signedInWith) },
          maxConsecutiveFailures,
          at,
        );
        return settled === undefined ? undefined : { locked: false, retryAfterSeconds: 0 };
      }
      // reserveAttempt and recordFailure in one: the failure that reaches the limit locks.
      const lockedUntil = new Date(at.getTime() + lockoutSeconds * 1000);
      const failures = await store.settleJudged(userId, { passed: false, lockedUntil }, maxConsecutiveFailures, at);
      if (failures === undefined) return undefined;
      // A failure that counts leaves at least one; only the locking one leaves none.
      return failures === 0
        ? { locked: true, retryAfterSeconds: lockoutSeconds }
        : { locked: false, retryAfterSeconds: 0 };
    },

    refusedAttempt: refusalOf,

    async releaseAttempt(userId) {
      await store.release(userId);
    },

    async unlock(userId) {
      // The attempts being judged keep their reservations; the failures are forgiven.
      await store.unlock(userId, now());
    },

    async preferredMethod(userId) {
      return (await store.find(userId))?.preferredMethod ?? undefined;
    },
  };
}
