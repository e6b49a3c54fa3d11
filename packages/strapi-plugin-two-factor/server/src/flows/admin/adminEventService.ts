import type { AdminEventsPage } from '@strapi-two-factor/contract';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import type { EventRow, EventStore } from '../../platform/stores/eventStore';
import type { UserStore } from '../../platform/stores/userStore';
import { pagination } from './pagination';

const DAY_MILLISECONDS = 24 * 60 * 60 * 1000;

export interface AdminEventQuery {
  page: number;
  pageSize: number;
  userId?: number;
  type?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface AdminEventService {
  /** Newest first. */
  list(query: AdminEventQuery): Promise<AdminEventsPage>;
  /** Deletes events older than `eventRetentionDays`; returns how many went. */
  pruneEvents(): Promise<number>;
}

function detailsOf(row: EventRow): Record<string, unknown> {
  // MySQL drivers may hand JSON columns back as text.
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as unknown) : row.details;
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

export function createAdminEventService({
  clock,
  settings,
  store,
  users: userStore,
}: {
  clock: ClockService;
  settings: SettingsService;
  store: EventStore;
  users: UserStore;
}): AdminEventService {
  return {
    async list({ page, pageSize, userId, type, from, to }) {
      const filter = { userId, type, from, to };
      const [rows, total] = await Promise.all([
        store.list(filter, { offset: (page - 1) * pageSize, limit: pageSize }),
        store.count(filter),
      ]);
      const userIds = [...new Set(rows.flatMap((row) => (row.userId === null ? [] : [row.userId])))];
      const users = await userStore.usernamesOf(userIds);
      const results = rows.map((row) => {
        const details = detailsOf(row);
        return {
          id: row.id,
          type: row.type,
          userId: row.userId,
          username: users.find((user) => user.id === row.userId)?.username ?? null,
          actor: row.actor ?? null,
          ip: row.ip ?? null,
          details,
          createdAt: new Date(row.createdAt).toISOString(),
        };
      });
      return { results, pagination: pagination(page, pageSize, total) };
    },

    async pruneEvents() {
      const { eventRetentionDays } = settings.config();
      const cutoff = new Date(clock.now().getTime() - eventRetentionDays * DAY_MILLISECONDS);
      return store.deleteOlderThan(cutoff);
    },
  };
}
