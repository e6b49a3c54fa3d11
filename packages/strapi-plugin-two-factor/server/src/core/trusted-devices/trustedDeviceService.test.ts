import { describe, expect, it } from 'vitest';
import { createMemoryTrustedDeviceStore } from '../../platform/stores/memory/memoryTrustedDeviceStore';
import { createFakeClock, createSettingsStub } from '../../testing/testDoubles';
import { createTrustedDeviceService } from './trustedDeviceService';

const USER = 3;

function setup(overrides: Record<string, unknown> = {}) {
  const store = createMemoryTrustedDeviceStore();
  const clock = createFakeClock();
  const settings = createSettingsStub(overrides);
  return { store, clock, settings, service: createTrustedDeviceService({ store, clock, settings }) };
}

describe('trustedDeviceService (in-memory store, fake clock)', () => {
  it('should rotate a token on use, once, and refuse the old one', async () => {
    const { service } = setup();
    const { token } = await service.trust(USER, 'agent');
    expect(await service.isTrusted(USER, token)).toBe(true);
    expect(await service.isTrusted(USER + 1, token)).toBe(false);
    const [first, second] = await Promise.all([
      service.redeemAndRotate(USER, token),
      service.redeemAndRotate(USER, token),
    ]);
    expect([first, second].filter((rotated) => rotated !== undefined)).toHaveLength(1);
    const rotated = (first ?? second)?.token ?? '';
    expect(await service.isTrusted(USER, token)).toBe(false);
    expect(await service.isTrusted(USER, rotated)).toBe(true);
  });

  it('should forget a device after trustedDeviceLifetimeSeconds', async () => {
    const { service, clock, settings } = setup();
    const { token } = await service.trust(USER, undefined);
    clock.travel(settings.config().trustedDeviceLifetimeSeconds * 1000 - 1);
    expect(await service.isTrusted(USER, token)).toBe(true);
    clock.travel(1);
    expect(await service.isTrusted(USER, token)).toBe(false);
    expect(await service.redeemAndRotate(USER, token)).toBeUndefined();
  });

  it('should keep only the newest maxTrustedDevicesPerUser devices, and revoke one of the user’s only', async () => {
    const { service, store, settings } = setup();
    const cap = settings.config().maxTrustedDevicesPerUser;
    const tokens: string[] = [];
    for (let i = 0; i <= cap; i += 1) tokens.push((await service.trust(USER, `agent ${i}`)).token);
    expect(await service.isTrusted(USER, tokens[0] ?? '')).toBe(false);
    expect(await service.isTrusted(USER, tokens[cap] ?? '')).toBe(true);
    const devices = await store.listOf(USER);
    expect(devices).toHaveLength(cap);
    const newest = devices[0]?.id ?? 0;
    await expect(service.revoke(USER + 1, newest)).rejects.toMatchObject({ details: { code: 'NOT_FOUND' } });
    await service.revoke(USER, newest);
    expect(await service.isTrusted(USER, tokens[cap] ?? '')).toBe(false);
  });
});
