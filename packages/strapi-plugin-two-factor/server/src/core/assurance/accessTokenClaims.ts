import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import type { Assurance } from './assurance';

/** Strapi core's session table (`admin::session`), shared by every origin. */
const SESSION_UID = 'admin::session';

/** The key in a refresh session's `metadata` that holds how it was signed in. */
const METADATA_KEY = 'twoFactorAssurance';

interface UsersPermissionsJwtConfig {
  algorithm?: Algorithm;
  privateKey?: string;
  keyid?: string;
  [option: string]: unknown;
}

/** Each key's `KeyObject`, by algorithm and key text (a key the config changes is a new entry). */
const keyObjects = new Map<string, KeyObject>();

/**
 * The key as a `KeyObject`, made once. Given a string, jsonwebtoken first tries to parse it as
 * a PEM private key and, for an HMAC secret, fails and falls back: about 0.4 ms of CPU on every
 * signature (the bench's CPU profile, issue 16).
 */
function keyObjectOf(key: string, isAsymmetric: boolean): KeyObject {
  const cacheKey = `${isAsymmetric ? 'private' : 'secret'}:${key}`;
  let keyObject = keyObjects.get(cacheKey);
  if (keyObject === undefined) {
    keyObject = isAsymmetric ? createPrivateKey(key) : createSecretKey(Buffer.from(key));
    keyObjects.set(cacheKey, keyObject);
  }
  return keyObject;
}

/**
 * The signing key users-permissions gives Strapi's session manager for its origin
 * (`bootstrap/index.js`, `defineOrigin('users-permissions', …)`), so a stamped token verifies
 * exactly as one Strapi minted.
 */
function signingKey(strapi: Core.Strapi): { key: KeyObject; algorithm: Algorithm; keyid?: string } {
  const options = strapi.config.get<UsersPermissionsJwtConfig | undefined>('plugin::users-permissions.jwt') ?? {};
  const algorithm: Algorithm = options.algorithm ?? 'HS256';
  const isAsymmetric = /^(RS|ES|PS)/.test(algorithm);
  const key = isAsymmetric
    ? options.privateKey
    : (strapi.config.get<string | undefined>('plugin::users-permissions.jwtSecret') ??
      strapi.config.get<string | undefined>('admin.auth.secret'));
  if (typeof key !== 'string' || key === '') {
    throw new Error(`No users-permissions signing key for algorithm ${algorithm}`);
  }
  return {
    key: keyObjectOf(key, isAsymmetric),
    algorithm,
    ...(typeof options.keyid === 'string' ? { keyid: options.keyid } : {}),
  };
}

/**
 * Strapi's refresh-mode access token with the assurance claims added. Strapi's session
 * manager builds the payload itself (`{ userId, sessionId, type }`) with no way to add to it,
 * so the token it just minted is signed again, its own claims (`iat`, `exp`, `iss`, …) kept.
 */
export function withAssuranceClaims(strapi: Core.Strapi, accessToken: string, assurance: Assurance): string {
  const payload = jwt.decode(accessToken);
  if (payload === null || typeof payload === 'string') throw new Error('Strapi minted an access token with no payload');
  const { key, algorithm, keyid } = signingKey(strapi);
  const stamped: JwtPayload = { ...payload, amr: assurance.amr, aal: assurance.aal, auth_time: assurance.auth_time };
  return jwt.sign(stamped, key, { algorithm, ...(keyid !== undefined ? { keyid } : {}) });
}

/** users-permissions' default access token lifespan in seconds (`services/constants.js`). */
const DEFAULT_ACCESS_TOKEN_LIFESPAN_SECONDS = 10 * 60;

/**
 * A new refresh-mode access token for the same session with raised claims: the verified
 * token's own claims (`userId`, `sessionId`, `type`, `iss`, …) kept, a fresh lifetime as
 * Strapi gives each access token (`sessions.accessTokenLifespan`).
 */
export function reissueAccessToken(
  strapi: Core.Strapi,
  verifiedPayload: Record<string, unknown>,
  assurance: Assurance,
): string {
  const { iat: _iat, exp: _exp, nbf: _nbf, ...claims } = verifiedPayload;
  const lifespan =
    strapi.config.get<number | undefined>('plugin::users-permissions.sessions.accessTokenLifespan') ??
    DEFAULT_ACCESS_TOKEN_LIFESPAN_SECONDS;
  const { key, algorithm, keyid } = signingKey(strapi);
  return jwt.sign({ ...claims, amr: assurance.amr, aal: assurance.aal, auth_time: assurance.auth_time }, key, {
    algorithm,
    expiresIn: lifespan,
    ...(keyid !== undefined ? { keyid } : {}),
  });
}

/** The session id a refresh-mode access token was minted for. */
export function sessionIdOf(accessToken: string): string | undefined {
  const payload = jwt.decode(accessToken);
  if (payload === null || typeof payload === 'string') return undefined;
  return typeof payload.sessionId === 'string' ? payload.sessionId : undefined;
}

/** Session metadata that records how the session was signed in (kept across rotation). */
export function metadataWithAssurance(
  metadata: Record<string, unknown>,
  assurance: Assurance,
): Record<string, unknown> {
  return { ...metadata, [METADATA_KEY]: assurance };
}

interface SessionRow {
  sessionId: string;
  status?: string | null;
  childId?: string | null;
  metadata?: Record<string, unknown> | null;
}

function isAssurance(value: unknown): value is Assurance {
  const candidate = value as Partial<Assurance> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.amr) &&
    (candidate.aal === 1 || candidate.aal === 2) &&
    typeof candidate.auth_time === 'number'
  );
}

/**
 * How a refresh session was signed in. Strapi's rotation copies `metadata` into each new
 * session (`rotateRefreshToken`), so the sign-in's record reaches every later access token.
 */
export async function sessionAssurance(strapi: Core.Strapi, sessionId: string): Promise<Assurance | undefined> {
  const session = (await strapi.db.query(SESSION_UID).findOne({ where: { sessionId } })) as SessionRow | null;
  return readSessionAssurance(session?.metadata);
}

/** The assurance recorded in a session's metadata; none for Strapi's own sessions. */
export function readSessionAssurance(metadata: Record<string, unknown> | null | undefined): Assurance | undefined {
  const recorded = metadata?.[METADATA_KEY];
  return isAssurance(recorded) ? recorded : undefined;
}

/**
 * Records a raised assurance on a session, so the refreshes that follow keep it. The access
 * token may predate a refresh: its session was then rotated, and the live one is the end of
 * the `childId` chain. False when the session is gone (logged out, ended, expired).
 */
export async function raiseSessionAssurance(
  strapi: Core.Strapi,
  sessionId: string,
  assurance: Assurance,
): Promise<boolean> {
  const find = async (id: string): Promise<SessionRow | null> =>
    (await strapi.db.query(SESSION_UID).findOne({ where: { sessionId: id } })) as SessionRow | null;
  let session = await find(sessionId);
  const seen = new Set<string>();
  while (session !== null && typeof session.childId === 'string' && !seen.has(session.sessionId)) {
    seen.add(session.sessionId);
    session = await find(session.childId);
  }
  if (session === null || session.status !== 'active') return false;
  await strapi.db.query(SESSION_UID).update({
    where: { sessionId: session.sessionId },
    data: { metadata: metadataWithAssurance(session.metadata ?? {}, assurance) },
  });
  return true;
}
