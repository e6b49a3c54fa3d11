import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { type Assurance, readAssurance } from './assurance';

/** The Bearer token of a request, as users-permissions' `jwt.getToken` reads it. */
export function bearerToken(ctx: Context): string | undefined {
  const authorization = ctx.request.header.authorization;
  if (typeof authorization !== 'string') return undefined;
  const parts = authorization.split(/\s+/);
  return parts.length === 2 && parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined;
}

interface JwtService {
  verify(token: string): Promise<Record<string, unknown>>;
}

/**
 * The verified claims of the request's access token, in the app's jwt mode: the session
 * manager's access token in `refresh` mode (users-permissions' `jwt.verify` keeps only the
 * ids there), the legacy token's payload otherwise.
 */
export async function verifiedAccessTokenPayload(
  strapi: Core.Strapi,
  ctx: Context,
): Promise<Record<string, unknown> | undefined> {
  const token = bearerToken(ctx);
  if (token === undefined) return undefined;
  const mode = strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support');
  if (mode === 'refresh') {
    const result = strapi.sessionManager('users-permissions').validateAccessToken(token);
    return result.isValid ? (result.payload as unknown as Record<string, unknown>) : undefined;
  }
  try {
    return await (strapi.plugin('users-permissions').service('jwt') as JwtService).verify(token);
  } catch {
    return undefined;
  }
}

/** How the request's session was signed in; `undefined` without a valid access token. */
export async function currentAssurance(strapi: Core.Strapi, ctx: Context): Promise<Assurance | undefined> {
  const payload = await verifiedAccessTokenPayload(strapi, ctx);
  return payload === undefined ? undefined : readAssurance(payload);
}
