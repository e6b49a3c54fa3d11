import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../../platform/stores/memory/memoryEventStore';
import { createMemoryUserStore } from '../../platform/stores/memory/memoryUserStore';
import { createFakeClock, createSettingsStub } from '../../testing/testDoubles';
import { createAdminEventService } from './adminEventService';

const DAY = 24 * 60 * 60 * 1000;

describe('adminEventService (in-memory event store, fake clock)', () => {
  it('should list newest first with filters, and prune what is older than eventRetentionDays', async () => {
    const clock = createFakeClock();
    const store = createMemoryEventStore();
    const settings = createSettingsStub();
    // Events without a user: the page needs no user names.
    const service = createAdminEventService({ clock, settings, store, users: createMemoryUserStore() });
    const append = (type: string, details: Record<string, unknown> = {}) =>
      store.append({ type, userId: null, actor: null, ip: null, details, createdAt: clock.now() });

    await append('policy.updated', { n: 1 });
    clock.travel(settings.config().eventRetentionDays * DAY);
    const since = clock.now();
    await append('policy.updated', { n: 2 });
    await append('sms.sent', { n: 3 });

    const all = await service.list({ page: 1, pageSize: 2 });
    expect(all.results.map((event) => event.details)).toEqual([{ n: 3 }, { n: 2 }]);
    expect(all.pagination).toMatchObject({ total: 3 });
    const filtered = await service.list({ page: 1, pageSize: 10, type: 'policy.updated', from: since });
    expect(filtered.results.map((event) => event.details)).toEqual([{ n: 2 }]);

    clock.travel(1);
    expect(await service.pruneEvents()).toBe(1);
    expect(await service.pruneEvents()).toBe(0);
    expect(store.all()).toHaveLength(2);
  });
});
