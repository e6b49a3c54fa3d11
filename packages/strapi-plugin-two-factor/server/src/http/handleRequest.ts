import type { Context } from 'koa';

interface ErrorWithRetryAfter {
  details?: { retryAfterSeconds?: unknown };
}

/**
 * Runs `action`; a 429 from the plugin carries its wait in `Retry-After` (DESIGN.md: rate
 * limits and lock-outs answer 429 with `Retry-After`). Strapi's error middleware then
 * writes the usual error body and keeps the header.
 */
export async function withRetryAfter<Result>(ctx: Context, action: () => Promise<Result>): Promise<Result> {
  try {
    return await action();
  } catch (error) {
    const retryAfterSeconds = (error as ErrorWithRetryAfter | null)?.details?.retryAfterSeconds;
    if (typeof retryAfterSeconds === 'number') ctx.set('Retry-After', String(retryAfterSeconds));
    throw error;
  }
}

/** Runs a controller action and sends its result as the body (see `withRetryAfter`). */
export async function handleRequest(ctx: Context, action: () => Promise<unknown>): Promise<void> {
  ctx.body = await withRetryAfter(ctx, action);
}
