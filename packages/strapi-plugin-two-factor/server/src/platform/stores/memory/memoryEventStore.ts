import type { EventFilter, EventRow, EventStore } from '../eventStore';

interface StoredEvent extends EventRow {
  createdAt: Date;
}

/** The audit log in memory, for unit tests; ids increment from 1. */
export function createMemoryEventStore(): EventStore & { all(): EventRow[] } {
  let rows: StoredEvent[] = [];
  let lastId = 0;

  const matches =
    ({ userId, type, from, to }: EventFilter) =>
    (row: StoredEvent) =>
      (userId === undefined || row.userId === userId) &&
      (type === undefined || row.type === type) &&
      (from === undefined || row.createdAt.getTime() >= from.getTime()) &&
      (to === undefined || row.createdAt.getTime() < to.getTime());

  return {
    async append(event) {
      lastId += 1;
      rows.push({ id: lastId, ...event });
    },

    async list(filter, { offset, limit }) {
      return rows
        .filter(matches(filter))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
        .slice(offset, offset + limit)
        .map((row) => ({ ...row }));
    },

    async count(filter) {
      return rows.filter(matches(filter)).length;
    },

    async deleteOlderThan(cutoff) {
      const before = rows.length;
      rows = rows.filter((row) => row.createdAt.getTime() >= cutoff.getTime());
      return before - rows.length;
    },

    all() {
      return rows.map((row) => ({ ...row }));
    },
  };
}
