import type { FactorType } from '@strapi-two-factor/contract';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { ChallengeStore } from '../../platform/stores/challengeStore';
import type { FactorRow, FactorStore } from '../../platform/stores/factorStore';
import type { TrustedDeviceStore } from '../../platform/stores/trustedDeviceStore';
import type { EventService } from '../events/eventService';
import type { RecoveryCodeService } from '../recovery-codes/recoveryCodeService';
import type { EnforcementService } from '../settings/enforcementService';

export type { FactorType };

/** Runs once a factor setup request is validated and before it writes anything (re-authentication). */
export type AuthorizeAddition = () => Promise<void>;

export interface FactorService {
  /** Active factors, oldest first: a user with at least one has two-step verification on. */
  activeFactors(userId: number): Promise<FactorRow[]>;
  findOwned(userId: number, factorId: number): Promise<FactorRow | null>;
  markUsed(factorId: number): Promise<void>;
  /**
   * After a factor became active: the audit event, trusted devices revoked (a factor change
   * ends them, OWASP MFA) and, when it is the user's first factor, the recovery codes that
   * are shown this once.
   */
  afterActivation(userId: number, factorId: number): Promise<string[] | undefined>;
  /**
   * Removes a factor. The last one turns two-step verification off and voids the recovery
   * codes; trusted devices are revoked either way.
   */
  remove(userId: number, factorId: number): Promise<FactorRow>;
  revokeTrustedDevices(userId: number): Promise<void>;
  /** Renames an active factor of the user's. */
  rename(userId: number, factorId: number, label: string): Promise<void>;
}

export function createFactorService({
  store,
  clock,
  events,
  enforcement,
  recoveryCodes,
  trustedDeviceStore,
  challengeStore,
}: {
  store: FactorStore;
  clock: ClockService;
  events: EventService;
  enforcement: EnforcementService;
  recoveryCodes: RecoveryCodeService;
  trustedDeviceStore: TrustedDeviceStore;
  challengeStore: ChallengeStore;
}): FactorService {
  return {
    async activeFactors(userId) {
      return store.activeOf(userId);
    },
    async findOwned(userId, factorId) {
      return store.findOwned(userId, factorId);
    },
    async afterActivation(userId, factorId) {
      const active = await this.activeFactors(userId);
      await this.revokeTrustedDevices(userId);
      const factor = active.find((f) => f.id === factorId);
      await events.record('factor.enrolled', userId, { factorId, type: factor?.type });
      if (active.some((f) => f.id !== factorId)) return undefined;
      return recoveryCodes.regenerate(userId);
    },

    async remove(userId, factorId) {
      const factor = await this.findOwned(userId, factorId);
      if (factor === null) throw twoFactorError('NOT_FOUND');
      const others = (await this.activeFactors(userId)).filter((f) => f.id !== factor.id);
      if (factor.status === 'active' && others.length === 0 && (await enforcement.isRequiredFor(userId))) {
        throw twoFactorError('LAST_FACTOR_REQUIRED');
      }
      await store.delete(factor.id);
      // A sign-in or enrolment under way dies with the factor it was asking for.
      await challengeStore.deleteForFactor(factor.id);
      await this.revokeTrustedDevices(userId);
      if ((await this.activeFactors(userId)).length === 0) await recoveryCodes.voidAll(userId);
      await events.record('factor.removed', userId, { factorId, type: factor.type });
      return factor;
    },

    async revokeTrustedDevices(userId) {
      await trustedDeviceStore.deleteAllOf(userId);
    },

    async rename(userId, factorId, label) {
      if (!(await store.renameActive(userId, factorId, label, clock.now()))) throw twoFactorError('NOT_FOUND');
      await events.record('factor.renamed', userId, { factorId });
    },

    async markUsed(factorId) {
      await store.markUsed(factorId, clock.now());
    },
  };
}
