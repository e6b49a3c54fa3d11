import type { FactorType } from '@strapi-two-factor/contract';
import type { FactorStore, PasskeyFactorRow, TotpFactorRow } from '../factorStore';

/** Every column of the factor table. */
type StoredFactor = TotpFactorRow & PasskeyFactorRow & { createdAt: Date; updatedAt: Date };

/**
 * The factor table in memory, for unit tests: ids increment from 1, the conditional updates
 * match exactly when the SQL guards of `createFactorStore` would, and the unique indexes on
 * `claimed_phone` and `credential_id` throw as the database's would.
 */
export function createMemoryFactorStore(): FactorStore {
  let rows: StoredFactor[] = [];
  let lastId = 0;

  const copy = (row: StoredFactor): StoredFactor => ({ ...row, transports: row.transports && [...row.transports] });
  const byId = (a: StoredFactor, b: StoredFactor): number => a.id - b.id;
  const select = (matches: (row: StoredFactor) => boolean): StoredFactor[] => rows.filter(matches).sort(byId);
  const first = (matches: (row: StoredFactor) => boolean): StoredFactor | null => {
    const row = select(matches)[0];
    return row === undefined ? null : copy(row);
  };
  const active = (row: StoredFactor, type?: FactorType): boolean =>
    row.status === 'active' && (type === undefined || row.type === type);
  const unique = (row: StoredFactor, column: 'claimedPhone' | 'credentialId', value: string | null): void => {
    if (value !== null && rows.some((other) => other !== row && other[column] === value)) {
      throw new Error(`Unique constraint failed: factor.${column}`);
    }
  };
  const remove = (matches: (row: StoredFactor) => boolean): void => {
    rows = rows.filter((row) => !matches(row));
  };
  const step = (value: string | number | null): number | null => (value === null ? null : Number(value));

  return {
    async activeOf(userId) {
      return select((row) => row.userId === userId && active(row)).map(copy);
    },

    async activeTotpOf(userId) {
      return select((row) => row.userId === userId && active(row, 'totp')).map(copy);
    },

    async activePasskeysOf(userId) {
      return select((row) => row.userId === userId && active(row, 'passkey')).map(copy);
    },

    async activeSummariesOf(userIds) {
      return select((row) => userIds.includes(row.userId) && active(row)).map((row) => ({
        id: row.id,
        userId: row.userId,
        type: row.type,
        label: row.label,
        backedUp: row.backedUp,
        createdAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
      }));
    },

    async allOf(userId) {
      return select((row) => row.userId === userId).map(({ userId: owner, type, status, phone }) => ({
        userId: owner,
        type,
        status,
        phone,
      }));
    },

    async countActive(userId, type) {
      return select((row) => row.userId === userId && active(row, type)).length;
    },

    async find(factorId) {
      return first((row) => row.id === factorId);
    },

    async findOwned(userId, factorId) {
      return first((row) => row.id === factorId && row.userId === userId);
    },

    async findOwnedTotp(userId, factorId) {
      return first((row) => row.id === factorId && row.userId === userId);
    },

    async findOwnedPasskey(userId, factorId) {
      return first((row) => row.id === factorId && row.userId === userId);
    },

    async findPending(userId, type, phone) {
      return first(
        (row) =>
          row.userId === userId &&
          row.type === type &&
          row.status === 'pending' &&
          (phone === undefined || row.phone === phone),
      );
    },

    async findByClaimedPhone(phone) {
      return first((row) => row.claimedPhone === phone);
    },

    async findActiveSmsByClaimedPhone(phone) {
      return first((row) => row.claimedPhone === phone && active(row, 'sms'));
    },

    async findPendingSignUp(phone) {
      return first((row) => row.claimedPhone === phone && row.status === 'pending' && row.type === 'sms');
    },

    async isPhoneClaimed(phone) {
      return rows.some((row) => row.claimedPhone === phone);
    },

    async expiredSignUps(cutoff, limit) {
      return select(
        (row) => row.status === 'pending' && row.claimedPhone !== null && row.createdAt.getTime() < cutoff.getTime(),
      )
        .slice(0, limit)
        .map(copy);
    },

    async findActivePasskeyByCredential(credentialId) {
      return first((row) => row.credentialId === credentialId && active(row, 'passkey'));
    },

    async isCredentialRegistered(credentialId) {
      return rows.some((row) => row.credentialId === credentialId);
    },

    async create({ userId, type, status, phone, claimedPhone, label, secretCiphertext, createdAt }) {
      const row: StoredFactor = {
        id: lastId + 1,
        userId,
        type,
        status,
        phone: phone ?? null,
        claimedPhone: claimedPhone ?? null,
        label,
        lastUsedAt: null,
        createdAt,
        updatedAt: createdAt,
        secretCiphertext: secretCiphertext ?? null,
        lastUsedTotpStep: null,
        credentialId: null,
        publicKey: null,
        signCount: null,
        transports: null,
        backedUp: null,
        aaguid: null,
      };
      unique(row, 'claimedPhone', row.claimedPhone);
      lastId += 1;
      rows.push(row);
      return copy(row);
    },

    async activate(factorId, now, { used = false } = {}) {
      const row = rows.find((factor) => factor.id === factorId);
      if (row === undefined) return;
      Object.assign(row, { status: 'active', updatedAt: now, ...(used ? { lastUsedAt: now } : {}) });
    },

    async activatePendingSms(factorId, phone, now) {
      const row = rows.find((factor) => factor.id === factorId && factor.status === 'pending');
      if (row === undefined) return;
      unique(row, 'claimedPhone', phone);
      Object.assign(row, { status: 'active', claimedPhone: phone, updatedAt: now });
    },

    async activatePendingPasskey(factorId, credential, now) {
      const row = rows.find((factor) => factor.id === factorId && factor.status === 'pending');
      if (row === undefined) return false;
      unique(row, 'credentialId', credential.credentialId);
      Object.assign(row, { status: 'active', ...credential, updatedAt: now });
      return true;
    },

    async burnTotpStep(factorId, totpStep, now, { activate = false } = {}) {
      const row = rows.find((factor) => factor.id === factorId);
      const last = row === undefined ? null : step(row.lastUsedTotpStep);
      if (row === undefined || (last !== null && last >= totpStep)) return false;
      Object.assign(row, {
        lastUsedTotpStep: totpStep,
        lastUsedAt: now,
        updatedAt: now,
        ...(activate ? { status: 'active' } : {}),
      });
      return true;
    },

    async advancePasskeyCounter(factorId, counter, backedUp, now) {
      const row = rows.find((factor) => factor.id === factorId);
      if (row === undefined) return false;
      const stored = step(row.signCount);
      if (counter > 0 && stored !== null && stored >= counter) return false;
      Object.assign(row, { signCount: counter, backedUp, lastUsedAt: now, updatedAt: now });
      return true;
    },

    async markUsed(factorId, now) {
      const row = rows.find((factor) => factor.id === factorId);
      if (row !== undefined) Object.assign(row, { lastUsedAt: now, updatedAt: now });
    },

    async renameActive(userId, factorId, label, now) {
      const row = rows.find((factor) => factor.id === factorId && factor.userId === userId && active(factor));
      if (row === undefined) return false;
      Object.assign(row, { label, updatedAt: now });
      return true;
    },

    async delete(factorId) {
      remove((row) => row.id === factorId);
    },

    async deletePending(userId, type) {
      remove((row) => row.userId === userId && row.type === type && row.status === 'pending');
    },

    async deleteAllOf(userId) {
      remove((row) => row.userId === userId);
    },
  };
}
