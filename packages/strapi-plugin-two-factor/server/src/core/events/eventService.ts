import type { Core } from '@strapi/strapi';
import type { ClockService } from '../../platform/clock/clockService';
import type { EventStore } from '../../platform/stores/eventStore';
import type { TwoFactorEventType } from './eventTypes';

export type { TwoFactorEventType } from './eventTypes';

export interface EventService {
  /**
   * Appends to the audit log. `details` must never hold a code, a secret or a token; its
   * `actor` (the admin who acted) goes to its own column, and the client's address comes from
   * the request being served (Koa's `ctx.request.ip`, which honours `server.proxy`).
   */
  record(type: TwoFactorEventType, userId: number | null, details?: Record<string, unknown>): Promise<void>;
}

export function createEventService({
  strapi,
  clock,
  store,
}: {
  strapi: Core.Strapi;
  clock: ClockService;
  store: EventStore;
}): EventService {
  return {
    async record(type, userId, details = {}) {
      const createdAt = clock.now();
      const { actor, ...rest } = details;
      // Strapi keeps each request's Koa context in an AsyncLocalStorage; none outside requests.
      const ip = (strapi.requestContext.get() as { request?: { ip?: unknown } } | undefined)?.request?.ip;
      await store.append({
        type,
        userId,
        actor: typeof actor === 'string' ? actor : null,
        ip: typeof ip === 'string' && ip !== '' ? ip : null,
        details: rest,
        createdAt,
      });
    },
  };
}
