import type { Core } from '@strapi/strapi';

export const RECOVERY_CODE_UID = 'plugin::two-factor.recovery-code';

export interface RecoveryCodeRow {
  id: number;
  codeHash: string;
}

/** The recovery-code table (`plugin::two-factor.recovery-code`): the only code that queries it. */
export interface RecoveryCodeStore {
  /** In one transaction: deletes the user's codes, then inserts one row per hash. */
  replaceAll(userId: number, codeHashes: string[], now: Date): Promise<void>;
  countUnused(userId: number): Promise<number>;
  listUnused(userId: number): Promise<RecoveryCodeRow[]>;
  /** The owner of each unused code of these users (one entry per code). */
  unusedOwners(userIds: number[]): Promise<number[]>;
  /** `UPDATE … SET used_at WHERE id AND used_at IS NULL`: true for exactly one caller. */
  markUsed(codeId: number, now: Date): Promise<boolean>;
  deleteAllOf(userId: number): Promise<void>;
}

export function createRecoveryCodeStore(strapi: Core.Strapi): RecoveryCodeStore {
  const query = () => strapi.db.query(RECOVERY_CODE_UID);
  return {
    async replaceAll(userId, codeHashes, now) {
      await strapi.db.transaction(async () => {
        await query().deleteMany({ where: { userId } });
        for (const codeHash of codeHashes) {
          await query().create({ data: { userId, codeHash, createdAt: now, updatedAt: now } });
        }
      });
    },

    async countUnused(userId) {
      return query().count({ where: { userId, usedAt: null } });
    },

    async listUnused(userId) {
      return (await query().findMany({ where: { userId, usedAt: null } })) as RecoveryCodeRow[];
    },

    async unusedOwners(userIds) {
      const rows = (await query().findMany({
        where: { userId: { $in: userIds }, usedAt: null },
        select: ['userId'],
      })) as { userId: number }[];
      return rows.map((row) => row.userId);
    },

    async markUsed(codeId, now) {
      const used = await query().updateMany({ where: { id: codeId, usedAt: null }, data: { usedAt: now } });
      return used.count === 1;
    },

    async deleteAllOf(userId) {
      await query().deleteMany({ where: { userId } });
    },
  };
}
