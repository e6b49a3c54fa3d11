import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryChallengeStore } from '../../platform/stores/memory/memoryChallengeStore';
import { createMemoryFactorStore } from '../../platform/stores/memory/memoryFactorStore';
import { createMemoryRecoveryCodeStore } from '../../platform/stores/memory/memoryRecoveryCodeStore';
import { createMemoryTrustedDeviceStore } from '../../platform/stores/memory/memoryTrustedDeviceStore';
import { createFakeClock } from '../../testing/testDoubles';
import type { EventService, TwoFactorEventType } from '../events/eventService';
import { createRecoveryCodeService } from '../recovery-codes/recoveryCodeService';
import { createFactorService } from './factorService';

const USER = 9;

function setup({ required = false } = {}) {
  const clock = createFakeClock();
  const store = createMemoryFactorStore();
  const trustedDeviceStore = createMemoryTrustedDeviceStore();
  const key = randomBytes(32);
  const recoveryCodes = createRecoveryCodeService({
    store: createMemoryRecoveryCodeStore(),
    clock,
    secrets: { codeHmacKey: () => key, encryptionKey: () => undefined },
  });
  const recorded: TwoFactorEventType[] = [];
  const events: EventService = {
    record: async (type) => {
      recorded.push(type);
    },
  };
  const enforcement = { isRequiredFor: async () => required, isRequiredForRole: () => required };
  const service = createFactorService({
    store,
    clock,
    events,
    enforcement,
    recoveryCodes,
    trustedDeviceStore,
    challengeStore: createMemoryChallengeStore(),
  });
  /** An active SMS factor, as an enrolment leaves it. */
  async function enrolSms(phone: string): Promise<number> {
    const factor = await store.create({
      userId: USER,
      type: 'sms',
      status: 'pending',
      phone,
      label: phone,
      createdAt: clock.now(),
    });
    await store.activatePendingSms(factor.id, phone, clock.now());
    return factor.id;
  }
  return { clock, store, trustedDeviceStore, recoveryCodes, recorded, service, enrolSms };
}

describe('factorService (in-memory stores)', () => {
  it('should hand out recovery codes with the first factor only, and revoke trusted devices on each', async () => {
    const { service, enrolSms, trustedDeviceStore, recoveryCodes, recorded, clock } = setup();
    const first = await enrolSms('+15005550001');
    await trustedDeviceStore.create({
      userId: USER,
      tokenHash: 'h',
      expiresAt: new Date(clock.now().getTime() + 60_000),
      userAgent: null,
      createdAt: clock.now(),
    });
    const codes = await service.afterActivation(USER, first);
    expect(codes).toHaveLength(10);
    expect(await recoveryCodes.remaining(USER)).toBe(10);
    expect(await trustedDeviceStore.listOf(USER)).toEqual([]);
    const second = await enrolSms('+15005550002');
    expect(await service.afterActivation(USER, second)).toBeUndefined();
    expect((await service.activeFactors(USER)).map((factor) => factor.id)).toEqual([first, second]);
    expect(recorded).toEqual(['factor.enrolled', 'factor.enrolled']);
  });

  it('should void the recovery codes with the last factor, and refuse it when a factor is required', async () => {
    const optional = setup();
    const id = await optional.enrolSms('+15005550003');
    await optional.service.afterActivation(USER, id);
    await optional.service.remove(USER, id);
    expect(await optional.recoveryCodes.remaining(USER)).toBe(0);
    expect(await optional.service.activeFactors(USER)).toEqual([]);
    await expect(optional.service.remove(USER, id)).rejects.toMatchObject({ details: { code: 'NOT_FOUND' } });

    const required = setup({ required: true });
    const kept = await required.enrolSms('+15005550004');
    await expect(required.service.remove(USER, kept)).rejects.toMatchObject({
      details: { code: 'LAST_FACTOR_REQUIRED' },
    });
  });

  it('should rename only an active factor of the user’s, and mark one used', async () => {
    const { service, store, enrolSms, clock } = setup();
    const id = await enrolSms('+15005550005');
    await service.rename(USER, id, 'Work phone');
    expect((await store.find(id))?.label).toBe('Work phone');
    await expect(service.rename(USER + 1, id, 'x')).rejects.toMatchObject({ details: { code: 'NOT_FOUND' } });
    const pending = await store.create({
      userId: USER,
      type: 'email',
      status: 'pending',
      label: 'e',
      createdAt: clock.now(),
    });
    await expect(service.rename(USER, pending.id, 'x')).rejects.toMatchObject({ details: { code: 'NOT_FOUND' } });
    clock.travel(1000);
    await service.markUsed(id);
    expect((await store.find(id))?.lastUsedAt).toEqual(clock.now());
  });

  it('should let one number be claimed by one factor only (the unique index)', async () => {
    const { store, enrolSms, clock } = setup();
    await enrolSms('+15005550006');
    const other = await store.create({
      userId: USER + 1,
      type: 'sms',
      status: 'pending',
      phone: '+15005550006',
      label: 'x',
      createdAt: clock.now(),
    });
    await expect(store.activatePendingSms(other.id, '+15005550006', clock.now())).rejects.toThrow();
  });
});
