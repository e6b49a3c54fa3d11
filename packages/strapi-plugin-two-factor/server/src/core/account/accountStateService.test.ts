import { describe, expect, it } from 'vitest';
import { createMemoryAccountStateStore } from '../../platform/stores/memory/memoryAccountStateStore';
import { createFakeClock, createSettingsStub } from '../../testing/testDoubles';
import { createAccountStateService } from './accountStateService';

const USER = 7;

function setup(overrides: Record<string, unknown> = {}) {
  const store = createMemoryAccountStateStore();
  const clock = createFakeClock();
  const settings = createSettingsStub(overrides);
  const service = createAccountStateService({ store, clock, settings });
  return { store, clock, settings, service };
}

async function fail(service: ReturnType<typeof setup>['service']): Promise<{ locked: boolean }> {
  await service.reserveAttempt(USER);
  return service.recordFailure(USER);
}

describe('accountStateService (in-memory store, fake clock)', () => {
  it('should lock the account at the maxConsecutiveFailures-th settled failure, for lockoutSeconds', async () => {
    const { service, settings } = setup();
    const { maxConsecutiveFailures, lockoutSeconds } = settings.config();
    expect(maxConsecutiveFailures).toBe(10);
    for (let i = 1; i < maxConsecutiveFailures; i += 1) expect((await fail(service)).locked).toBe(false);
    expect(await fail(service)).toEqual({ locked: true, retryAfterSeconds: lockoutSeconds });
    await expect(service.assertNotLocked(USER)).rejects.toMatchObject({
      details: { code: 'ACCOUNT_LOCKED', retryAfterSeconds: lockoutSeconds },
    });
    await expect(service.reserveAttempt(USER)).rejects.toMatchObject({ details: { code: 'ACCOUNT_LOCKED' } });
  });

  it('should lift the lock once lockoutSeconds have passed, with the count started over', async () => {
    const { service, clock, settings } = setup({ maxConsecutiveFailures: 3, lockoutSeconds: 60 });
    for (let i = 0; i < 3; i += 1) await fail(service);
    clock.travel(59_000);
    await expect(service.assertNotLocked(USER)).rejects.toMatchObject({ details: { retryAfterSeconds: 1 } });
    clock.travel(1_000);
    await expect(service.assertNotLocked(USER)).resolves.toBeUndefined();
    // A whole new run of failures is needed to lock again.
    expect((await fail(service)).locked).toBe(false);
    expect((await fail(service)).locked).toBe(false);
    expect((await fail(service)).locked).toBe(true);
    expect(settings.config().lockoutSeconds).toBe(60);
  });

  it('should cap parallel attempts at the failures left, and give an attempt back on release', async () => {
    const { service, store } = setup({ maxConsecutiveFailures: 3 });
    const reservations = await Promise.allSettled(Array.from({ length: 5 }, () => service.reserveAttempt(USER)));
    expect(reservations.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(reservations.filter((result) => result.status === 'rejected')).toHaveLength(2);
    expect(store.reservedAttempts(USER)).toBe(3);
    await expect(service.reserveAttempt(USER)).rejects.toMatchObject({ details: { code: 'ACCOUNT_LOCKED' } });

    await service.releaseAttempt(USER);
    expect(store.reservedAttempts(USER)).toBe(2);
    await expect(service.reserveAttempt(USER)).resolves.toBeUndefined();
  });

  it('should not lock while a success is in flight, and a success resets the failures', async () => {
    const { service, store } = setup({ maxConsecutiveFailures: 3 });
    await service.reserveAttempt(USER); // the success, judged last
    expect((await fail(service)).locked).toBe(false);
    expect((await fail(service)).locked).toBe(false);
    await service.recordSuccess(USER, 'totp');
    expect(await store.find(USER)).toMatchObject({
      consecutiveFailures: 0,
      lockedUntil: null,
      preferredMethod: 'totp',
    });
    expect(store.reservedAttempts(USER)).toBe(0);
    expect(await service.preferredMethod(USER)).toBe('totp');
    // The whole budget is there again.
    for (let i = 0; i < 3; i += 1) await service.reserveAttempt(USER);
  });

  it('should not remember a recovery code as the preferred method', async () => {
    const { service } = setup();
    await service.reserveAttempt(USER);
    await service.recordSuccess(USER, 'sms');
    await service.reserveAttempt(USER);
    await service.recordSuccess(USER, 'recovery_code');
    expect(await service.preferredMethod(USER)).toBe('sms');
  });

  it('should settle judged attempts in one step: failures lock at the limit, a pass resets them', async () => {
    const { service, clock } = setup({ maxConsecutiveFailures: 3, lockoutSeconds: 60 });
    // No row yet: nothing matches, refusedAttempt makes the row.
    expect(await service.settleJudged(USER, { passed: false })).toBeUndefined();
    expect(await service.refusedAttempt(USER)).toBeUndefined();
    expect(await service.settleJudged(USER, { passed: false })).toEqual({ locked: false, retryAfterSeconds: 0 });
    expect(await service.settleJudged(USER, { passed: true, signedInWith: 'email' })).toEqual({
      locked: false,
      retryAfterSeconds: 0,
    });
    expect(await service.preferredMethod(USER)).toBe('email');
    expect(await service.settleJudged(USER, { passed: false })).toEqual({ locked: false, retryAfterSeconds: 0 });
    expect(await service.settleJudged(USER, { passed: false })).toEqual({ locked: false, retryAfterSeconds: 0 });
    expect(await service.settleJudged(USER, { passed: false })).toEqual({ locked: true, retryAfterSeconds: 60 });
    expect(await service.settleJudged(USER, { passed: true })).toBeUndefined();
    expect(await service.refusedAttempt(USER)).toMatchObject({ details: { code: 'ACCOUNT_LOCKED' } });
    clock.travel(60_000);
    expect(await service.settleJudged(USER, { passed: true })).toEqual({ locked: false, retryAfterSeconds: 0 });
  });

  it('should unlock and forgive the failures at an admin request', async () => {
    const { service, store } = setup({ maxConsecutiveFailures: 3 });
    for (let i = 0; i < 3; i += 1) await fail(service);
    await expect(service.assertNotLocked(USER)).rejects.toMatchObject({ details: { code: 'ACCOUNT_LOCKED' } });
    await service.unlock(USER);
    await expect(service.assertNotLocked(USER)).resolves.toBeUndefined();
    expect(await store.find(USER)).toMatchObject({ consecutiveFailures: 0, lockedUntil: null });
    for (let i = 0; i < 3; i += 1) await service.reserveAttempt(USER);
  });
});
