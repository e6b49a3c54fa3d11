import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccountStateService } from '../../core/account/accountStateService';
import type { FactorService } from '../../core/factors/factorService';
import type { NotificationService } from '../../core/notifications/notificationService';
import { createMemoryFactorStore } from '../../platform/stores/memory/memoryFactorStore';
import { createMemoryUserStore } from '../../platform/stores/memory/memoryUserStore';
import { createFakeClock, createSettingsStub } from '../../testing/testDoubles';
import { encryptSecret } from './secretCipher';
import { generateTotpCode } from './totpCode';
import { createTotpFactorService } from './totpFactorService';

const USER = 4;

describe('totpFactorService.consumeCode (in-memory factor store, fake clock)', () => {
  it('should accept a code once, for exactly one of parallel requests, and then the next step only', async () => {
    const clock = createFakeClock();
    const factorStore = createMemoryFactorStore();
    const key = randomBytes(32);
    const secret = randomBytes(20);
    const factor = await factorStore.create({
      userId: USER,
      type: 'totp',
      status: 'pending',
      label: 'Authenticator app',
      secretCiphertext: encryptSecret(key, secret, `two-factor:totp:${USER}`),
      createdAt: clock.now(),
    });
    await factorStore.activate(factor.id, clock.now());
    const service = createTotpFactorService({
      accountState: {} as AccountStateService,
      clock,
      factors: {} as FactorService,
      factorStore,
      notifications: {} as NotificationService,
      secrets: { codeHmacKey: () => key, encryptionKey: () => key },
      settings: createSettingsStub(),
      // consumeCode reads no user.
      users: createMemoryUserStore(),
    });
    const seconds = (): number => Math.floor(clock.now().getTime() / 1000);
    const code = generateTotpCode(secret, seconds());

    const verdicts = await Promise.all([service.consumeCode(USER, code), service.consumeCode(USER, code)]);
    expect(verdicts.filter(Boolean)).toHaveLength(1);
    expect(await service.consumeCode(USER, code)).toBe(false);
    expect(await service.consumeCode(USER + 1, code)).toBe(false);

    clock.travel(30_000);
    expect(await service.consumeCode(USER, generateTotpCode(secret, seconds()))).toBe(true);
    expect((await factorStore.find(factor.id))?.lastUsedAt).toEqual(clock.now());
  });
});
