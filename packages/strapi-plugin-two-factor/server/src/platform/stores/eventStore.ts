import type { Core } from '@strapi/strapi';
import { insertColumns, runStatement } from './knexTable';

export const EVENT_UID = 'plugin::two-factor.event';

export interface EventRow {
  id: number;
  type: string;
  userId: number | null;
  actor: string | null;
  ip: string | null;
  /** An object; MySQL drivers may hand JSON columns back as text. */
  details: unknown;
  createdAt: string | Date;
}

export interface NewEvent {
  type: string;
  userId: number | null;
  actor: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** Which events a page lists; every given field must match. */
export interface EventFilter {
  userId?: number;
  type?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** The audit log (`plugin::two-factor.event`): the only code that queries it. */
export interface EventStore {
  /** One INSERT. */
  append(event: NewEvent): Promise<void>;
  /** Newest first (by `createdAt`, then id). */
  list(filter: EventFilter, page: { offset: number; limit: number }): Promise<EventRow[]>;
  count(filter: EventFilter): Promise<number>;
  /** Deletes the events created before `cutoff`; returns how many went. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

function whereOf({ userId, type, from, to }: EventFilter): Record<string, unknown> {
  const createdAt: Record<string, Date> = {};
  if (from !== undefined) createdAt.$gte = from;
  if (to !== undefined) createdAt.$lt = to;
  const where: Record<string, unknown> = {};
  if (userId !== undefined) where.userId = userId;
  if (type !== undefined) where.type = type;
  if (Object.keys(createdAt).length > 0) where.createdAt = createdAt;
  return where;
}

export function createEventStore(strapi: Core.Strapi): EventStore {
  const query = () => strapi.db.query(EVENT_UID);
  return {
    async append({ createdAt, ...event }) {
      // One INSERT through knex, inside the caller's transaction when there is one: every
      // judged attempt writes an event, and the query engine's createMany cost more CPU than
      // the statement (and wrapped it in BEGIN/COMMIT of its own when alone).
      await runStatement(strapi, EVENT_UID, async (table) => {
        await table.insert(insertColumns(strapi, EVENT_UID, event, createdAt));
      });
    },

    async list(filter, { offset, limit }) {
      return (await query().findMany({
        where: whereOf(filter),
        // Events of one millisecond keep their order by id.
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        offset,
        limit,
      })) as EventRow[];
    },

    async count(filter) {
      return query().count({ where: whereOf(filter) });
    },

    async deleteOlderThan(cutoff) {
      const { count } = await query().deleteMany({ where: { createdAt: { $lt: cutoff } } });
      return count;
    },
  };
}
