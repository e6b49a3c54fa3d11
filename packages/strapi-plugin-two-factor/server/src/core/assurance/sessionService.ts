import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { SettingsService } from '../settings/settingsService';

const SESSION_UID = 'admin::session';
const ORIGIN = 'users-permissions';

interface SessionRow {
  sessionId: string;
  childId?: string | null;
}

/**
 * The refresh session behind the request, which users-permissions' strategy exposes in
 * `refresh` mode (`ctx.state.session`); none in legacy mode or with an enrolment token.
 */
export function currentSessionId(ctx: Context): string | undefined {
  const id = (ctx.state as { session?: { id?: unknown } }).session?.id;
  return typeof id === 'string' ? id : undefined;
}

export interface SessionService {
  /**
   * Ends a user's other sessions after a change to their factors (config
   * `endOtherSessionsOnFactorChange`): whoever held a session from before the change (a stolen
   * refresh token, a forgotten device) must sign in again under the new factors. The request's
   * own session stays, with the refreshes rotated from it. Legacy-support tokens have no server
   * session, so there is nothing to end: they live until they expire.
   */
  endOthers(userId: number, keepSessionId: string | undefined): Promise<void>;
}

export function createSessionService({
  strapi,
  settings,
}: {
  strapi: Core.Strapi;
  settings: SettingsService;
}): SessionService {
  return {
    async endOthers(userId, keepSessionId) {
      if (!settings.config().endOtherSessionsOnFactorChange) return;
      if (strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support') !== 'refresh') return;
      const sessions = () => strapi.db.query(SESSION_UID);
      // The access token may predate refreshes: keep its session and every one rotated from it.
      const keep: string[] = [];
      let next = keepSessionId;
      while (next !== undefined && !keep.includes(next)) {
        keep.push(next);
        const row = (await sessions().findOne({ where: { sessionId: next } })) as SessionRow | null;
        next = typeof row?.childId === 'string' ? row.childId : undefined;
      }
      await sessions().deleteMany({
        where: {
          userId: String(userId),
          origin: ORIGIN,
          ...(keep.length > 0 ? { sessionId: { $notIn: keep } } : {}),
        },
      });
    },
  };
}
