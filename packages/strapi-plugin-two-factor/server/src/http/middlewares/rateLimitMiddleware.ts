import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getService } from '../getService';
import { withRetryAfter } from '../handleRequest';

/**
 * Route middleware on every plugin route: requests per client IP per minute, shared through
 * Redis when configured. Answers 429 `TOO_MANY_REQUESTS` with `Retry-After`.
 */
export function rateLimitMiddleware(_config: unknown, { strapi }: { strapi: Core.Strapi }) {
  return async (ctx: Context, next: Next): Promise<void> => {
    await withRetryAfter(ctx, () =>
      getService(strapi, 'rateLimits').consume('requests-ip', ctx.request.ip, 'TOO_MANY_REQUESTS'),
    );
    await next();
  };
}
