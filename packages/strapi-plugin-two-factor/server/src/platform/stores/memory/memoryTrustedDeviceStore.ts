import type { TrustedDeviceRow, TrustedDeviceStore } from '../trustedDeviceStore';

interface StoredTrustedDevice extends TrustedDeviceRow {
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The trusted-device table in memory, for unit tests; ids increment from 1. */
export function createMemoryTrustedDeviceStore(): TrustedDeviceStore {
  const rows: StoredTrustedDevice[] = [];
  let lastId = 0;

  const live = (row: StoredTrustedDevice, now: Date): boolean => row.expiresAt.getTime() > now.getTime();
  const newestFirst = (found: StoredTrustedDevice[]): TrustedDeviceRow[] =>
    found.sort((a, b) => b.id - a.id).map((row) => ({ ...row }));
  const remove = (matches: (row: StoredTrustedDevice) => boolean): number => {
    let removed = 0;
    for (let index = rows.length - 1; index >= 0; index -= 1) {
      const row = rows[index];
      if (row !== undefined && matches(row)) {
        rows.splice(index, 1);
        removed += 1;
      }
    }
    return removed;
  };

  return {
    async create({ userId, tokenHash, expiresAt, userAgent, createdAt }) {
      lastId += 1;
      rows.push({
        id: lastId,
        userId,
        tokenHash,
        expiresAt,
        lastUsedAt: createdAt,
        userAgent,
        createdAt,
        updatedAt: createdAt,
      });
    },

    async listOf(userId) {
      return newestFirst(rows.filter((row) => row.userId === userId));
    },

    async listLive(userId, now) {
      return newestFirst(rows.filter((row) => row.userId === userId && live(row, now)));
    },

    async findLive(userId, tokenHash, now) {
      const row = rows.find(
        (device) => device.userId === userId && device.tokenHash === tokenHash && live(device, now),
      );
      return row === undefined ? null : { ...row };
    },

    async countLive(userId, tokenHash, now) {
      return rows.filter((row) => row.userId === userId && row.tokenHash === tokenHash && live(row, now)).length;
    },

    async rotate(deviceId, tokenHash, nextTokenHash, now) {
      const row = rows.find((device) => device.id === deviceId && device.tokenHash === tokenHash);
      if (row === undefined) return false;
      Object.assign(row, { tokenHash: nextTokenHash, lastUsedAt: now, updatedAt: now });
      return true;
    },

    async deleteIds(deviceIds) {
      remove((row) => deviceIds.includes(row.id));
    },

    async deleteOwned(userId, deviceId) {
      return remove((row) => row.id === deviceId && row.userId === userId);
    },

    async deleteAllOf(userId) {
      remove((row) => row.userId === userId);
    },
  };
}
