import type { Core } from '@strapi/strapi';
import type {
  AdminUserSession,
  AdminUserSessions,
  EndedSessions,
  JwtManagementMode,
} from '@strapi-two-factor/contract';
import { readSessionAssurance } from '../../core/assurance/accessTokenClaims';
import type { EventService } from '../../core/events/eventService';
import type { AdminUserService } from './adminUserService';

/** Strapi core's session table (`admin::session`), shared by every origin. */
const SESSION_UID = 'admin::session';
const ORIGIN = 'users-permissions';

/** Enough of a session id to tell two apart on screen; the rest is never sent. */
const SESSION_ID_PREFIX_LENGTH = 8;

export interface AdminSessionService {
  list(userId: number): Promise<AdminUserSessions>;
  /** Ends every session of the user (their refresh tokens stop working) and logs who did it. */
  endAll(userId: number, actor: string): Promise<EndedSessions>;
}

interface SessionRow {
  sessionId: string;
  createdAt?: string | Date | null;
  expiresAt: string | Date;
  absoluteExpiresAt?: string | Date | null;
  metadata?: Record<string, unknown> | string | null;
}

function toIso(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : new Date(value).toISOString();
}

function metadataOf(row: SessionRow): Record<string, unknown> {
  // MySQL drivers may hand JSON columns back as text.
  const metadata = typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as unknown) : row.metadata;
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
    ? (metadata as Record<string, unknown>)
    : {};
}

function describe(row: SessionRow): AdminUserSession {
  const metadata = metadataOf(row);
  const assurance = readSessionAssurance(metadata);
  return {
    idPrefix: row.sessionId.slice(0, SESSION_ID_PREFIX_LENGTH),
    deviceName: typeof metadata.deviceName === 'string' ? metadata.deviceName : null,
    signedInAt: typeof metadata.loginAt === 'string' ? toIso(metadata.loginAt) : null,
    lastRefreshedAt: toIso(row.createdAt),
    expiresAt: new Date(row.expiresAt).toISOString(),
    absoluteExpiresAt: toIso(row.absoluteExpiresAt),
    amr: assurance?.amr ?? ['pwd'],
    aal: assurance?.aal ?? 1,
    authTime: assurance === undefined ? null : new Date(assurance.auth_time * 1000).toISOString(),
  };
}

export function createAdminSessionService({
  strapi,
  adminUsers,
  events,
}: {
  strapi: Core.Strapi;
  adminUsers: AdminUserService;
  events: EventService;
}): AdminSessionService {
  const mode = (): JwtManagementMode =>
    strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support') === 'refresh'
      ? 'refresh'
      : 'legacy-support';
  const sessions = () => strapi.db.query(SESSION_UID);

  /**
   * The sessions whose refresh token still works, as Strapi's `validateRefreshToken` decides:
   * active (a rotated record has handed over to its child), before both expiries. Strapi's
   * session manager reads the real time, not the plugin's clock, and so does this.
   */
  const alive = (userId: number): Record<string, unknown> => {
    const now = new Date();
    return {
      userId: String(userId),
      origin: ORIGIN,
      status: 'active',
      expiresAt: { $gt: now },
      $or: [{ absoluteExpiresAt: null }, { absoluteExpiresAt: { $gt: now } }],
    };
  };

  return {
    async list(userId) {
      await adminUsers.status(userId);
      if (mode() !== 'refresh') return { mode: 'legacy-support', sessions: [] };
      const rows = (await sessions().findMany({
        where: alive(userId),
        select: ['sessionId', 'createdAt', 'expiresAt', 'absoluteExpiresAt', 'metadata'],
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      })) as SessionRow[];
      return { mode: 'refresh', sessions: rows.map(describe) };
    },

    async endAll(userId, actor) {
      await adminUsers.status(userId);
      if (mode() !== 'refresh') return { mode: 'legacy-support', ended: 0 };
      const { count } = await sessions().deleteMany({ where: alive(userId) });
      // Then the rest of the user's records (rotated, expired), and any child a refresh racing
      // the first delete managed to create: no refresh token of theirs outlives this call.
      await sessions().deleteMany({ where: { userId: String(userId), origin: ORIGIN } });
      await events.record('sessions.ended', userId, { actor, count });
      return { mode: 'refresh', ended: count };
    },
  };
}
