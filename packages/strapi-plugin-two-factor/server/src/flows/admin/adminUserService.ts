import type { Core } from '@strapi/strapi';
import type { AdminUserStatus, AdminUsersPage } from '@strapi-two-factor/contract';
import type { AccountStateService } from '../../core/account/accountStateService';
import type { SessionService } from '../../core/assurance/sessionService';
import type { ChallengeService } from '../../core/challenges/challengeService';
import type { EventService } from '../../core/events/eventService';
import type { NotificationService } from '../../core/notifications/notificationService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { AccountStateStore } from '../../platform/stores/accountStateStore';
import type { FactorStore } from '../../platform/stores/factorStore';
import type { RecoveryCodeStore } from '../../platform/stores/recoveryCodeStore';
import type { TrustedDeviceStore } from '../../platform/stores/trustedDeviceStore';
import type { UserStore, UserSummaryRow } from '../../platform/stores/userStore';
import { pagination } from './pagination';

export interface AdminUserQuery {
  page: number;
  pageSize: number;
  /** Part of the username or email, case-insensitive, or the exact id. */
  search?: string;
}

export interface AdminUserService {
  list(query: AdminUserQuery): Promise<AdminUsersPage>;
  status(userId: number): Promise<AdminUserStatus>;
  /**
   * Turns two-step verification off for a user who lost every factor: deletes their
   * factors, recovery codes, trusted devices and open challenges, and logs who did it.
   */
  reset(userId: number, actor: string): Promise<AdminUserStatus>;
  /** Lifts a lock-out and clears the failure count, and logs who did it. */
  unlock(userId: number, actor: string): Promise<AdminUserStatus>;
}

function toIso(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : new Date(value).toISOString();
}

export function createAdminUserService({
  strapi,
  accountState,
  challenges,
  accountStateStore,
  clock,
  events,
  factorStore,
  notifications,
  recoveryCodeStore,
  sessions,
  trustedDeviceStore,
  users: userStore,
}: {
  strapi: Core.Strapi;
  accountState: AccountStateService;
  challenges: ChallengeService;
  accountStateStore: AccountStateStore;
  clock: ClockService;
  events: EventService;
  factorStore: FactorStore;
  notifications: NotificationService;
  recoveryCodeStore: RecoveryCodeStore;
  sessions: SessionService;
  trustedDeviceStore: TrustedDeviceStore;
  users: UserStore;
}): AdminUserService {
  const now = (): Date => clock.now();

  /** The two-factor columns of many users in four queries, whatever the page size. */
  async function describe(users: UserSummaryRow[]): Promise<AdminUserStatus[]> {
    if (users.length === 0) return [];
    const userIds = users.map((user) => user.id);
    const [factors, states, unusedCodes] = await Promise.all([
      factorStore.activeSummariesOf(userIds),
      accountStateStore.summariesOf(userIds),
      recoveryCodeStore.unusedOwners(userIds),
    ]);
    const at = now();
    return users.map((user) => {
      const own = factors.filter((factor) => factor.userId === user.id);
      const lastUsed = own
        .map((factor) => toIso(factor.lastUsedAt))
        .filter((value): value is string => value !== null)
        .sort()
        .at(-1);
      const state = states.find((row) => row.userId === user.id);
      const lockedUntil = state?.lockedUntil == null ? null : new Date(state.lockedUntil);
      return {
        id: user.id,
        username: user.username,
        email: user.email,
        blocked: user.blocked === true,
        methods: [...new Set(own.map((factor) => factor.type))],
        passkeys: own
          .filter((factor) => factor.type === 'passkey')
          .map((factor) => ({
            id: factor.id ?? 0,
            label: factor.label ?? null,
            backedUp: factor.backedUp === true,
            createdAt: toIso(factor.createdAt),
            lastUsedAt: toIso(factor.lastUsedAt),
          })),
        lastUsedAt: lastUsed ?? null,
        lockedUntil: lockedUntil !== null && lockedUntil > at ? lockedUntil.toISOString() : null,
        consecutiveFailures: state?.consecutiveFailures ?? 0,
        recoveryCodesRemaining: unusedCodes.filter((owner) => owner === user.id).length,
      };
    });
  }

  async function findUser(userId: number): Promise<UserSummaryRow> {
    const user = await userStore.findSummary(userId);
    if (user === null) throw twoFactorError('NOT_FOUND');
    return user;
  }

  return {
    async list({ page, pageSize, search }) {
      const term = search?.trim() ?? '';
      const [found, total] = await Promise.all([
        userStore.searchSummaries(term, { offset: (page - 1) * pageSize, limit: pageSize }),
        userStore.countSearch(term),
      ]);
      return { results: await describe(found), pagination: pagination(page, pageSize, total) };
    },

    async status(userId) {
      const [status] = await describe([await findUser(userId)]);
      if (status === undefined) throw twoFactorError('NOT_FOUND');
      return status;
    },

    async reset(userId, actor) {
      await findUser(userId);
      const removed = await factorStore.allOf(userId);
      await strapi.db.transaction(async () => {
        await factorStore.deleteAllOf(userId);
        await recoveryCodeStore.deleteAllOf(userId);
        await trustedDeviceStore.deleteAllOf(userId);
        // A sign-in under way dies with the factors it was asking for.
        await challenges.deleteOpenForUser(userId);
      });
      // The admin holds none of the user's sessions: every one of them ends (config permitting).
      await sessions.endOthers(userId, undefined);
      await events.record('factors.reset', userId, {
        actor,
        factorTypes: [...new Set(removed.map((factor) => factor.type))],
      });
      // OWASP MFA: tell the user, on the numbers they had, that their second step is gone.
      const phones = removed.flatMap((factor) =>
        factor.status === 'active' && factor.type === 'sms' && factor.phone !== null ? [factor.phone] : [],
      );
      await notifications.securityChange(userId, 'two-step verification was turned off by an administrator', phones);
      return this.status(userId);
    },

    async unlock(userId, actor) {
      await findUser(userId);
      await accountState.unlock(userId);
      await events.record('account.unlocked', userId, { actor });
      return this.status(userId);
    },
  };
}
