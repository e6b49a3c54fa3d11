import type { Core } from '@strapi/strapi';

export const TRUSTED_DEVICE_UID = 'plugin::two-factor.trusted-device';

export interface TrustedDeviceRow {
  id: number;
  userId: number;
  tokenHash: string;
  expiresAt: string | Date;
  lastUsedAt: string | Date | null;
  userAgent: string | null;
}

export interface NewTrustedDevice {
  userId: number;
  tokenHash: string;
  expiresAt: Date;
  userAgent: string | null;
  createdAt: Date;
}

/** The trusted-device table (`plugin::two-factor.trusted-device`): the only code that queries it. */
export interface TrustedDeviceStore {
  /** Inserts a device, last used at its creation. */
  create(device: NewTrustedDevice): Promise<void>;
  /** Every device of the user's, expired or not, newest first. */
  listOf(userId: number): Promise<TrustedDeviceRow[]>;
  /** The devices of the user's still live at `now`, newest first. */
  listLive(userId: number, now: Date): Promise<TrustedDeviceRow[]>;
  /** The user's device with this token hash, live at `now`; `null` otherwise. */
  findLive(userId: number, tokenHash: string, now: Date): Promise<TrustedDeviceRow | null>;
  countLive(userId: number, tokenHash: string, now: Date): Promise<number>;
  /**
   * Replaces the device's token hash, only while it still is `tokenHash`: of two requests
   * with one token exactly one gets true.
   */
  rotate(deviceId: number, tokenHash: string, nextTokenHash: string, now: Date): Promise<boolean>;
  deleteIds(deviceIds: number[]): Promise<void>;
  /** Deletes the device when it is the user's; how many went (0 or 1). */
  deleteOwned(userId: number, deviceId: number): Promise<number>;
  deleteAllOf(userId: number): Promise<void>;
}

export function createTrustedDeviceStore(strapi: Core.Strapi): TrustedDeviceStore {
  const query = () => strapi.db.query(TRUSTED_DEVICE_UID);
  return {
    async create({ userId, tokenHash, expiresAt, userAgent, createdAt }) {
      await query().create({
        data: { userId, tokenHash, expiresAt, lastUsedAt: createdAt, userAgent, createdAt, updatedAt: createdAt },
      });
    },

    async listOf(userId) {
      return (await query().findMany({ where: { userId }, orderBy: { id: 'desc' } })) as TrustedDeviceRow[];
    },

    async listLive(userId, now) {
      return (await query().findMany({
        where: { userId, expiresAt: { $gt: now } },
        orderBy: { id: 'desc' },
      })) as TrustedDeviceRow[];
    },

    async findLive(userId, tokenHash, now) {
      return (await query().findOne({
        where: { userId, tokenHash, expiresAt: { $gt: now } },
      })) as TrustedDeviceRow | null;
    },

    async countLive(userId, tokenHash, now) {
      return query().count({ where: { userId, tokenHash, expiresAt: { $gt: now } } });
    },

    async rotate(deviceId, tokenHash, nextTokenHash, now) {
      const rotated = await query().updateMany({
        where: { id: deviceId, tokenHash },
        data: { tokenHash: nextTokenHash, lastUsedAt: now, updatedAt: now },
      });
      return rotated.count === 1;
    },

    async deleteIds(deviceIds) {
      await query().deleteMany({ where: { id: { $in: deviceIds } } });
    },

    async deleteOwned(userId, deviceId) {
      const removed = await query().deleteMany({ where: { id: deviceId, userId } });
      return removed.count;
    },

    async deleteAllOf(userId) {
      await query().deleteMany({ where: { userId } });
    },
  };
}
