import { errors } from '@strapi/utils';
import type { Context } from 'koa';

/** Who did it, for the audit log: the signed-in admin's email, else `admin#<id>`. */
export function adminActor(ctx: Context): string {
  const admin = (ctx.state as { user?: { id?: unknown; email?: unknown } }).user;
  if (typeof admin?.email === 'string' && admin.email !== '') return admin.email;
  if (typeof admin?.id === 'number' || typeof admin?.id === 'string') return `admin#${admin.id}`;
  // The route's policies let no anonymous request this far.
  throw new errors.UnauthorizedError('Missing or invalid credentials');
}
