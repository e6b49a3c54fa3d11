import type { Core } from '@strapi/strapi';
import type { AdminEventsPage } from '@strapi-two-factor/contract';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { pagination } from './pagination';

const EVENT_UID = 'plugin::two-factor.event';
const USER_UID = 'plugin::users-permissions.user';
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

interface EventRow {
  id: number;
  type: string;
  userId: number | null;
  actor: string | null;
  ip: string | null;
  details: unknown;
  createdAt: string | Date;
}

function detailsOf(row: EventRow): Record<string, unknown> {
  // MySQL drivers may hand JSON columns back as text.
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as unknown) : row.details;
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

export function createAdminEventService({
  strapi,
  clock,
  settings,
}: {
  strapi: Core.Strapi;
  clock: ClockService;
  settings: SettingsService;
}): AdminEventService {
  return {
    async list({ page, pageSize, userId, type, from, to }) {
      const createdAt: Record<string, Date> = {};
      if (from !== undefined) createdAt.$gte = from;
      if (to !== undefined) createdAt.$lt = to;
      const where: Record<string, unknown> = {};
      if (userId !== undefined) where.userId = userId;
      if (type !== undefined) where.type = type;
      if (Object.keys(createdAt).length > 0) where.createdAt = createdAt;
      const [rows, total] = await Promise.all([
        strapi.db.query(EVENT_UID).findMany({
          where,
          // Events of one millisecond keep their order by id.
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }) as Promise<EventRow[]>,
        strapi.db.query(EVENT_UID).count({ where }),
      ]);
      const userIds = [...new Set(rows.flatMap((row) => (row.userId === null ? [] : [row.userId])))];
      const users =
        userIds.length === 0
          ? []
          : ((await strapi.db
              .query(USER_UID)
              .findMany({ where: { id: { $in: userIds } }, select: ['id', 'username'] })) as {
              id: number;
              username: string | null;
            }[]);
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
      const { count } = await strapi.db.query(EVENT_UID).deleteMany({ where: { createdAt: { $lt: cutoff } } });
      return count;
    },
  };
}
