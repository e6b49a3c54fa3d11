import { errors } from '@strapi/utils';
import type { Context } from 'koa';

/** The signed-in end user's id; Strapi's auth has already run for self-service routes. */
export function authenticatedUserId(ctx: Context): number {
  const id = (ctx.state as { user?: { id?: unknown } }).user?.id;
  if (typeof id !== 'number') throw new errors.UnauthorizedError('Missing or invalid credentials');
  return id;
}
