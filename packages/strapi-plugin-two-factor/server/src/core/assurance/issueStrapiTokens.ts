import type { Core } from '@strapi/strapi';
import { buildSessionMetadata, errors } from '@strapi/utils';
import type { Context } from 'koa';
import { type StrapiUserRow, USER_UID } from '../../platform/stores/userStore';
import { metadataWithAssurance, withAssuranceClaims } from './accessTokenClaims';
import type { Assurance } from './assurance';

// Still imported from here by the sign-in flow.

interface RefreshCookieOptions {
  [option: string]: unknown;
}

interface SessionsConfig {
  httpOnly?: boolean;
  cookie?: { name?: string; [option: string]: unknown };
}

/** users-permissions' `utils/refresh-cookie-options`, which its package does not export. */
function refreshCookieOptions(sessions: SessionsConfig): RefreshCookieOptions {
  const cookie = sessions.cookie;
  return {
    httpOnly: true,
    secure: typeof cookie?.secure === 'boolean' ? cookie.secure : process.env.NODE_ENV === 'production',
    sameSite: cookie?.sameSite ?? 'lax',
    path: cookie?.path ?? '/',
    domain: cookie?.domain,
    maxAge: cookie?.maxAge,
    overwrite: true,
  };
}

function extractDeviceId(body: unknown): string | undefined {
  const deviceId = (body as { deviceId?: unknown } | undefined)?.deviceId;
  return typeof deviceId === 'string' && deviceId.length > 0 ? deviceId : undefined;
}

/**
 * What users-permissions' login sends once the password was right, in the app's mode:
 * `{ jwt, user }` (legacy), `{ jwt, refreshToken, user }` or the http-only refresh cookie
 * plus `{ jwt, user }` (refresh). Mirrors `sendRefreshAuthResponse` in users-permissions'
 * `controllers/auth.js` so a two-step sign-in ends exactly like a plain one.
 *
 * With `assurance` (a sign-in the plugin let through) the access token carries `amr`, `aal`
 * and `auth_time`, and in refresh mode the session records them so `/auth/refresh` can carry
 * them on. Without it the tokens are Strapi's, byte for byte.
 */
export async function issueStrapiTokens(
  strapi: Core.Strapi,
  ctx: Context,
  user: StrapiUserRow,
  options: { deviceId?: string | null; assurance?: Assurance } = {},
): Promise<Record<string, unknown>> {
  const userSchema = strapi.getModel(USER_UID);
  const sanitizedUser = await strapi.contentAPI.sanitize.output(user, userSchema, { auth: ctx.state.auth });
  const mode = strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support');
  if (mode !== 'refresh') {
    const { assurance } = options;
    const payload = assurance === undefined ? { id: user.id } : { id: user.id, ...assurance };
    const jwt = strapi.plugin('users-permissions').service('jwt').issue(payload) as string;
    return { jwt, user: sanitizedUser };
  }

  const sessionManager = strapi.sessionManager('users-permissions');
  const deviceId = extractDeviceId(ctx.request.body) ?? options.deviceId ?? undefined;
  const metadata = buildSessionMetadata({ userAgent: ctx.request.headers['user-agent'] });
  const refresh = await sessionManager.generateRefreshToken(String(user.id), deviceId, {
    type: 'refresh',
    metadata: options.assurance === undefined ? metadata : metadataWithAssurance(metadata, options.assurance),
  });
  const access = await sessionManager.generateAccessToken(refresh.token);
  if ('error' in access) throw new errors.ApplicationError('Invalid credentials');
  const accessToken =
    options.assurance === undefined ? access.token : withAssuranceClaims(strapi, access.token, options.assurance);

  const sessions = strapi.config.get<SessionsConfig | undefined>('plugin::users-permissions.sessions');
  const cookieRequested = ctx.request.header['x-strapi-refresh-cookie'] === 'httpOnly';
  if (sessions?.httpOnly === true || cookieRequested) {
    const cookieName = sessions?.cookie?.name ?? 'strapi_up_refresh';
    ctx.cookies.set(cookieName, refresh.token, refreshCookieOptions(sessions ?? {}));
    return { jwt: accessToken, user: sanitizedUser };
  }
  return { jwt: accessToken, refreshToken: refresh.token, user: sanitizedUser };
}
