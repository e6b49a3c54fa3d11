import type { ClockService } from '../../platform/clock/clockService';
import { generateOpaqueToken, hashOpaqueToken } from '../../platform/crypto/opaqueToken';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { TrustedDeviceStore } from '../../platform/stores/trustedDeviceStore';
import type { SettingsService } from '../settings/settingsService';

export interface TrustedDeviceToken {
  token: string;
  expiresAt: string;
}

export interface TrustedDeviceService {
  /** Remembers this device for `trustedDeviceLifetimeSeconds`; the oldest beyond the cap go. */
  trust(userId: number, userAgent: string | undefined): Promise<TrustedDeviceToken>;
  /**
   * When `token` is a live device of the user's, replaces it with a new one (rotation on
   * every use, OWASP MFA) and returns that; `undefined` otherwise. Of two requests with one
   * token only one gets the new token.
   */
  redeemAndRotate(userId: number, token: string): Promise<TrustedDeviceToken | undefined>;
  /** Whether `token` is a live trusted device of `userId`, without using it. */
  isTrusted(userId: number, token: string): Promise<boolean>;
  revoke(userId: number, deviceId: number): Promise<void>;
}

export function createTrustedDeviceService({
  store,
  clock,
  settings,
}: {
  store: TrustedDeviceStore;
  clock: ClockService;
  settings: SettingsService;
}): TrustedDeviceService {
  const now = (): Date => clock.now();

  return {
    async trust(userId, userAgent) {
      const { trustedDeviceLifetimeSeconds, maxTrustedDevicesPerUser } = settings.config();
      const token = generateOpaqueToken();
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + trustedDeviceLifetimeSeconds * 1000);
      await store.create({
        userId,
        tokenHash: hashOpaqueToken(token),
        expiresAt,
        userAgent: userAgent?.slice(0, 255) ?? null,
        createdAt,
      });
      const devices = await store.listOf(userId);
      const beyondCap = devices.slice(maxTrustedDevicesPerUser).map((device) => device.id);
      if (beyondCap.length > 0) await store.deleteIds(beyondCap);
      return { token, expiresAt: expiresAt.toISOString() };
    },

    async redeemAndRotate(userId, token) {
      if (token.length < 32 || token.length > 100) return undefined;
      const tokenHash = hashOpaqueToken(token);
      const device = await store.findLive(userId, tokenHash, now());
      if (device === null) return undefined;
      const next = generateOpaqueToken();
      if (!(await store.rotate(device.id, tokenHash, hashOpaqueToken(next), now()))) return undefined;
      return { token: next, expiresAt: new Date(device.expiresAt).toISOString() };
    },

    async isTrusted(userId, token) {
      if (token.length < 32 || token.length > 100) return false;
      return (await store.countLive(userId, hashOpaqueToken(token), now())) > 0;
    },

    async revoke(userId, deviceId) {
      if ((await store.deleteOwned(userId, deviceId)) === 0) throw twoFactorError('NOT_FOUND');
    },
  };
}
