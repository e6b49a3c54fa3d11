import type { Core } from '@strapi/strapi';
import type { ClockService } from '../../platform/clock/clockService';
import { generateOpaqueToken, hashOpaqueToken } from '../../platform/crypto/opaqueToken';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { SettingsService } from '../settings/settingsService';

const UID = 'plugin::two-factor.trusted-device';

export interface TrustedDeviceToken {
  token: string;
  expiresAt: string;
}

interface TrustedDeviceRow {
  id: number;
  userId: number;
  tokenHash: string;
  expiresAt: string | Date;
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
  strapi,
  clock,
  settings,
}: {
  strapi: Core.Strapi;
  clock: ClockService;
  settings: SettingsService;
}): TrustedDeviceService {
  const query = () => strapi.db.query(UID);
  const now = (): Date => clock.now();

  return {
    async trust(userId, userAgent) {
      const { trustedDeviceLifetimeSeconds, maxTrustedDevicesPerUser } = settings.config();
      const token = generateOpaqueToken();
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + trustedDeviceLifetimeSeconds * 1000);
      await query().create({
        data: {
          userId,
          tokenHash: hashOpaqueToken(token),
          expiresAt,
          lastUsedAt: createdAt,
          userAgent: userAgent?.slice(0, 255) ?? null,
          createdAt,
          updatedAt: createdAt,
        },
      });
      const devices = (await query().findMany({ where: { userId }, orderBy: { id: 'desc' } })) as TrustedDeviceRow[];
      const beyondCap = devices.slice(maxTrustedDevicesPerUser).map((device) => device.id);
      if (beyondCap.length > 0) await query().deleteMany({ where: { id: { $in: beyondCap } } });
      return { token, expiresAt: expiresAt.toISOString() };
    },

    async redeemAndRotate(userId, token) {
      if (token.length < 32 || token.length > 100) return undefined;
      const tokenHash = hashOpaqueToken(token);
      const device = (await query().findOne({
        where: { userId, tokenHash, expiresAt: { $gt: now() } },
      })) as TrustedDeviceRow | null;
      if (device === null) return undefined;
      const next = generateOpaqueToken();
      const rotated = await query().updateMany({
        where: { id: device.id, tokenHash },
        data: { tokenHash: hashOpaqueToken(next), lastUsedAt: now(), updatedAt: now() },
      });
      if (rotated.count !== 1) return undefined;
      return { token: next, expiresAt: new Date(device.expiresAt).toISOString() };
    },

    async isTrusted(userId, token) {
      if (token.length < 32 || token.length > 100) return false;
      const found = await query().count({
        where: { userId, tokenHash: hashOpaqueToken(token), expiresAt: { $gt: now() } },
      });
      return found > 0;
    },

    async revoke(userId, deviceId) {
      const removed = await query().deleteMany({ where: { id: deviceId, userId } });
      if (removed.count === 0) throw twoFactorError('NOT_FOUND');
    },
  };
}
