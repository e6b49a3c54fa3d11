import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

type Middleware = (ctx: Context, next: Next) => Promise<void>;

export interface RestRequest {
  /** The parsed body the REST route would have received. */
  body: Record<string, unknown>;
  /** Route parameters (`:id`, `:provider`). */
  params?: Record<string, unknown>;
  /** The REST path, for limiters keyed on it (users-permissions': `email:path:ip`). */
  path?: string;
  /** The route middleware the REST route runs first (the per-IP request limit). */
  middleware: string;
}

const queues = new WeakMap<Context, Promise<unknown>>();

/** One action at a time per request: the request's body, params and path are borrowed. */
function enqueue<Result>(ctx: Context, operation: () => Promise<Result>): Promise<Result> {
  const previous = queues.get(ctx) ?? Promise.resolve();
  const result = previous.catch(() => undefined).then(operation);
  queues.set(
    ctx,
    result.catch(() => undefined),
  );
  return result;
}

/**
 * Runs a REST controller action for a GraphQL resolver on the GraphQL request's own koa
 * context, as users-permissions' GraphQL `login` runs its REST `callback`
 * (graphql/mutations/auth/rate-limit.js): the body, params and path are swapped in, the
 * route's middleware runs first, and the action's `ctx.body` is the result. One
 * implementation, so REST and GraphQL share validation, limits, audit events and errors;
 * the client's address, headers and cookies are the real request's.
 */
export function runRestAction(
  strapi: Core.Strapi,
  ctx: Context,
  request: RestRequest,
  action: (ctx: Context) => Promise<unknown>,
): Promise<unknown> {
  const middleware = (strapi.middleware(request.middleware) as (config: unknown, opts: unknown) => Middleware)(
    {},
    { strapi },
  );
  return enqueue(ctx, async () => {
    const original = {
      body: ctx.request.body,
      path: ctx.request.path,
      params: ctx.params,
      responseBody: ctx.body,
      status: ctx.status,
    };
    ctx.request.body = request.body;
    ctx.params = request.params ?? {};
    if (request.path !== undefined) ctx.request.path = request.path;
    try {
      await middleware(ctx, async () => {
        await action(ctx);
      });
      return ctx.body;
    } finally {
      ctx.request.body = original.body;
      ctx.params = original.params;
      if (request.path !== undefined) ctx.request.path = original.path;
      ctx.body = original.responseBody;
      ctx.status = original.status;
    }
  });
}

/** GraphQL sends absent optional fields as `null`; REST bodies simply leave them out. */
export function withoutNulls(input: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== null && value !== undefined));
}
