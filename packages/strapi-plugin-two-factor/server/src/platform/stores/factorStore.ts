import type { AuthenticatorTransport } from '@simplewebauthn/server';
import type { Core } from '@strapi/strapi';
import type { FactorType } from '@strapi-two-factor/contract';

export const FACTOR_UID = 'plugin::two-factor.factor';

export interface FactorRow {
  id: number;
  userId: number;
  type: FactorType;
  status: 'pending' | 'active';
  phone: string | null;
  claimedPhone: string | null;
  label: string | null;
  lastUsedAt: string | Date | null;
  createdAt: string | Date | null;
  /** Passkeys only (null otherwise). */
  backedUp?: boolean | null;
  transports?: string[] | null;
}

/** A TOTP factor with its secret and the last step it accepted. */
export interface TotpFactorRow extends FactorRow {
  secretCiphertext: string | null;
  lastUsedTotpStep: string | number | null;
}

/** A passkey with its credential. */
export interface PasskeyFactorRow extends FactorRow {
  credentialId: string | null;
  publicKey: string | null;
  signCount: string | number | null;
  transports: AuthenticatorTransport[] | null;
  backedUp: boolean | null;
  aaguid: string | null;
}

/** What the admin's user list shows of an active factor. */
export interface FactorSummaryRow {
  id: number;
  userId: number;
  type: FactorType;
  label: string | null;
  backedUp: boolean | null;
  createdAt: string | Date | null;
  lastUsedAt: string | Date | null;
}

/** What an admin reset tells the user about a factor it removed. */
export interface RemovedFactorRow {
  userId: number;
  type: FactorType;
  status: 'pending' | 'active';
  phone: string | null;
}

export interface NewFactor {
  userId: number;
  type: FactorType;
  status: 'pending';
  phone?: string;
  /** Held from the start by a phone sign-up (the unique index settles races). */
  claimedPhone?: string;
  label: string;
  secretCiphertext?: string;
  createdAt: Date;
}

/** The credential a passkey's activation stores. */
export interface PasskeyCredential {
  label: string;
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
  backedUp: boolean;
  aaguid: string;
}

/**
 * The factor table (`plugin::two-factor.factor`): the only code that queries it. The updates
 * that decide a race (a TOTP step burnt, a passkey counter moved, a pending factor activated)
 * are conditional `UPDATE … WHERE` statements that report whether they matched.
 */
export interface FactorStore {
  /** The user's active factors, oldest first. */
  activeOf(userId: number): Promise<FactorRow[]>;
  activeTotpOf(userId: number): Promise<TotpFactorRow[]>;
  /** The user's active passkeys, oldest first. */
  activePasskeysOf(userId: number): Promise<PasskeyFactorRow[]>;
  /** The active factors of many users, oldest first. */
  activeSummariesOf(userIds: number[]): Promise<FactorSummaryRow[]>;
  /** Every factor of the user's, pending ones included. */
  allOf(userId: number): Promise<RemovedFactorRow[]>;
  countActive(userId: number, type: FactorType): Promise<number>;
  find(factorId: number): Promise<FactorRow | null>;
  findOwned(userId: number, factorId: number): Promise<FactorRow | null>;
  findOwnedTotp(userId: number, factorId: number): Promise<TotpFactorRow | null>;
  findOwnedPasskey(userId: number, factorId: number): Promise<PasskeyFactorRow | null>;
  /** The user's pending factor of this type (and number, for SMS). */
  findPending(userId: number, type: FactorType, phone?: string): Promise<FactorRow | null>;
  /** The factor holding this number, active or a phone sign-up's. */
  findByClaimedPhone(phone: string): Promise<FactorRow | null>;
  findActiveSmsByClaimedPhone(phone: string): Promise<FactorRow | null>;
  /** The phone sign-up, not yet verified, holding this number. */
  findPendingSignUp(phone: string): Promise<FactorRow | null>;
  isPhoneClaimed(phone: string): Promise<boolean>;
  /** Phone sign-ups created before `cutoff` and never verified, at most `limit`. */
  expiredSignUps(cutoff: Date, limit: number): Promise<FactorRow[]>;
  findActivePasskeyByCredential(credentialId: string): Promise<PasskeyFactorRow | null>;
  isCredentialRegistered(credentialId: string): Promise<boolean>;
  create(factor: NewFactor): Promise<FactorRow>;
  /** Activates a factor (and marks it used, for a phone sign-up's first sign-in). */
  activate(factorId: number, now: Date, options?: { used?: boolean }): Promise<void>;
  /**
   * `UPDATE … SET status = 'active', claimed_phone WHERE id AND status = 'pending'`; throws
   * the database's error when another factor holds the number (unique index).
   */
  activatePendingSms(factorId: number, phone: string, now: Date): Promise<void>;
  /** `UPDATE … SET status = 'active', credential WHERE id AND status = 'pending'`: whether it matched. */
  activatePendingPasskey(factorId: number, credential: PasskeyCredential, now: Date): Promise<boolean>;
  /**
   * `UPDATE … SET last_used_totp_step = step WHERE id AND (last_used_totp_step IS NULL OR <
   * step)`, activating the factor too when asked: of parallel requests with one code exactly
   * one gets true.
   */
  burnTotpStep(factorId: number, step: number, now: Date, options?: { activate?: boolean }): Promise<boolean>;
  /**
   * `UPDATE … SET sign_count WHERE id AND (sign_count IS NULL OR sign_count < counter)` (no
   * counter guard when the authenticator counts nothing, `counter` 0): whether it matched.
   */
  advancePasskeyCounter(factorId: number, counter: number, backedUp: boolean, now: Date): Promise<boolean>;
  markUsed(factorId: number, now: Date): Promise<void>;
  /** Renames an active factor of the user's: whether it matched. */
  renameActive(userId: number, factorId: number, label: string, now: Date): Promise<boolean>;
  delete(factorId: number): Promise<void>;
  deletePending(userId: number, type: FactorType): Promise<void>;
  deleteAllOf(userId: number): Promise<void>;
}

export function createFactorStore(strapi: Core.Strapi): FactorStore {
  const query = () => strapi.db.query(FACTOR_UID);
  return {
    async activeOf(userId) {
      return (await query().findMany({ where: { userId, status: 'active' }, orderBy: { id: 'asc' } })) as FactorRow[];
    },

    async activeTotpOf(userId) {
      return (await query().findMany({ where: { userId, type: 'totp', status: 'active' } })) as TotpFactorRow[];
    },

    async activePasskeysOf(userId) {
      return (await query().findMany({
        where: { userId, type: 'passkey', status: 'active' },
        orderBy: { id: 'asc' },
      })) as PasskeyFactorRow[];
    },

    async activeSummariesOf(userIds) {
      return (await query().findMany({
        where: { userId: { $in: userIds }, status: 'active' },
        select: ['id', 'userId', 'type', 'label', 'backedUp', 'createdAt', 'lastUsedAt'],
        orderBy: { id: 'asc' },
      })) as FactorSummaryRow[];
    },

    async allOf(userId) {
      return (await query().findMany({
        where: { userId },
        select: ['userId', 'type', 'status', 'phone'],
      })) as RemovedFactorRow[];
    },

    async countActive(userId, type) {
      return query().count({ where: { userId, type, status: 'active' } });
    },

    async find(factorId) {
      return (await query().findOne({ where: { id: factorId } })) as FactorRow | null;
    },

    async findOwned(userId, factorId) {
      return (await query().findOne({ where: { id: factorId, userId } })) as FactorRow | null;
    },

    async findOwnedTotp(userId, factorId) {
      return (await query().findOne({ where: { id: factorId, userId } })) as TotpFactorRow | null;
    },

    async findOwnedPasskey(userId, factorId) {
      return (await query().findOne({ where: { id: factorId, userId } })) as PasskeyFactorRow | null;
    },

    async findPending(userId, type, phone) {
      return (await query().findOne({
        where: { userId, type, status: 'pending', ...(phone === undefined ? {} : { phone }) },
      })) as FactorRow | null;
    },

    async findByClaimedPhone(phone) {
      return (await query().findOne({ where: { claimedPhone: phone } })) as FactorRow | null;
    },

    async findActiveSmsByClaimedPhone(phone) {
      return (await query().findOne({
        where: { claimedPhone: phone, status: 'active', type: 'sms' },
      })) as FactorRow | null;
    },

    async findPendingSignUp(phone) {
      return (await query().findOne({
        where: { claimedPhone: phone, status: 'pending', type: 'sms' },
      })) as FactorRow | null;
    },

    async isPhoneClaimed(phone) {
      return (await query().count({ where: { claimedPhone: phone } })) > 0;
    },

    async expiredSignUps(cutoff, limit) {
      return (await query().findMany({
        where: { status: 'pending', claimedPhone: { $notNull: true }, createdAt: { $lt: cutoff } },
        limit,
      })) as FactorRow[];
    },

    async findActivePasskeyByCredential(credentialId) {
      return (await query().findOne({
        where: { credentialId, type: 'passkey', status: 'active' },
      })) as PasskeyFactorRow | null;
    },

    async isCredentialRegistered(credentialId) {
      return (await query().count({ where: { credentialId } })) > 0;
    },

    async create({ createdAt, ...factor }) {
      return (await query().create({ data: { ...factor, createdAt, updatedAt: createdAt } })) as FactorRow;
    },

    async activate(factorId, now, { used = false } = {}) {
      await query().update({
        where: { id: factorId },
        data: used ? { status: 'active', lastUsedAt: now, updatedAt: now } : { status: 'active', updatedAt: now },
      });
    },

    async activatePendingSms(factorId, phone, now) {
      await query().updateMany({
        where: { id: factorId, status: 'pending' },
        data: { status: 'active', claimedPhone: phone, updatedAt: now },
      });
    },

    async activatePendingPasskey(factorId, credential, now) {
      const updated = await query().updateMany({
        where: { id: factorId, status: 'pending' },
        data: { status: 'active', ...credential, updatedAt: now },
      });
      return updated.count === 1;
    },

    async burnTotpStep(factorId, step, now, { activate = false } = {}) {
      const burnt = await query().updateMany({
        where: {
          id: factorId,
          $or: [{ lastUsedTotpStep: null }, { lastUsedTotpStep: { $lt: step } }],
        },
        data: { lastUsedTotpStep: step, lastUsedAt: now, updatedAt: now, ...(activate ? { status: 'active' } : {}) },
      });
      return burnt.count === 1;
    },

    async advancePasskeyCounter(factorId, counter, backedUp, now) {
      const moved = await query().updateMany({
        where: {
          id: factorId,
          ...(counter > 0 ? { $or: [{ signCount: null }, { signCount: { $lt: counter } }] } : {}),
        },
        data: { signCount: counter, backedUp, lastUsedAt: now, updatedAt: now },
      });
      return moved.count === 1;
    },

    async markUsed(factorId, now) {
      // One UPDATE: `update()` would read the row before and after, for nothing here.
      await query().updateMany({ where: { id: factorId }, data: { lastUsedAt: now, updatedAt: now } });
    },

    async renameActive(userId, factorId, label, now) {
      const renamed = await query().updateMany({
        where: { id: factorId, userId, status: 'active' },
        data: { label, updatedAt: now },
      });
      return renamed.count === 1;
    },

    async delete(factorId) {
      await query().delete({ where: { id: factorId } });
    },

    async deletePending(userId, type) {
      await query().deleteMany({ where: { userId, type, status: 'pending' } });
    },

    async deleteAllOf(userId) {
      await query().deleteMany({ where: { userId } });
    },
  };
}
