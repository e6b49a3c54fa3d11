import type { RecoveryCodeRow, RecoveryCodeStore } from '../recoveryCodeStore';

interface StoredRecoveryCode extends RecoveryCodeRow {
  userId: number;
  usedAt: Date | null;
  createdAt: Date;
}

/** The recovery-code table in memory, for unit tests; ids increment from 1. */
export function createMemoryRecoveryCodeStore(): RecoveryCodeStore {
  let rows: StoredRecoveryCode[] = [];
  let lastId = 0;
  const unused = (row: StoredRecoveryCode): boolean => row.usedAt === null;

  return {
    async replaceAll(userId, codeHashes, now) {
      rows = rows.filter((row) => row.userId !== userId);
      for (const codeHash of codeHashes) {
        lastId += 1;
        rows.push({ id: lastId, userId, codeHash, usedAt: null, createdAt: now });
      }
    },

    async countUnused(userId) {
      return rows.filter((row) => row.userId === userId && unused(row)).length;
    },

    async listUnused(userId) {
      return rows.filter((row) => row.userId === userId && unused(row)).map(({ id, codeHash }) => ({ id, codeHash }));
    },

    async unusedOwners(userIds) {
      return rows.filter((row) => userIds.includes(row.userId) && unused(row)).map((row) => row.userId);
    },

    async markUsed(codeId, now) {
      const row = rows.find((code) => code.id === codeId && unused(code));
      if (row === undefined) return false;
      row.usedAt = now;
      return true;
    },

    async deleteAllOf(userId) {
      rows = rows.filter((row) => row.userId !== userId);
    },
  };
}
