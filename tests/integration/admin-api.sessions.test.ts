import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminEventRow,
  createAdmin,
  createAdminRole,
  type EndedBody,
  type Page,
  type SessionsBody,
  superAdminRole,
  type TestAdmin,
} from '../support/adminApi';
import { pluginNowSeconds } from '../support/assurance';
import type { StrapiErrorBody, StrapiLoginBody } from '../support/strapiBodies';
import {
  type EnrolledUser,
  errorCode,
  loginChallenge,
  signUp,
  startLogin,
  userWithSmsFactor,
} from '../support/twoFactor';
import { cookieHeader } from '../support/users';

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_ON_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe(`admin API: a user's sessions on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    // The example app's default, as a new Strapi app: refresh sessions in an http-only cookie.
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' } });
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const listSessions = (userId: number, token = admin.token) =>
    app.http.get<SessionsBody>(`/two-factor/users/${userId}/sessions`, { jwt: token });

  const endSessions = (userId: number, token = admin.token) =>
    app.http.post<EndedBody>(`/two-factor/users/${userId}/sessions/end`, {}, { jwt: token });

  const refresh = (cookie: string) => app.http.post<StrapiErrorBody>('/api/auth/refresh', {}, { cookie });

  /** Password + SMS code, the second step sent from a browser with this user agent; the refresh cookie. */
  async function signInWithSms(user: EnrolledUser, userAgent: string): Promise<string> {
    const { token, code } = await loginChallenge(app, user);
    const verified = await app.http.post<StrapiLoginBody>(
      '/api/two-factor/challenge/verify',
      { token, method: 'sms', code },
      { headers: { 'user-agent': userAgent } },
    );
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    return cookieHeader(verified.setCookies);
  }

  /** A user with an SMS factor whose sign-up session was logged out: no session left. */
  async function userWithoutSessions(): Promise<EnrolledUser> {
    const user = await userWithSmsFactor(app);
    const logout = await app.http.post('/api/auth/logout', {}, { jwt: user.jwt });
    expect(logout.status, JSON.stringify(logout.body)).toBe(200);
    expect((await listSessions(user.id)).body.sessions).toEqual([]);
    return user;
  }

  /** Every session id Strapi holds for the user, read straight from its table. */
  async function storedSessionIds(userId: number): Promise<string[]> {
    const rows = (await app.strapi.db
      .query('admin::session')
      .findMany({ where: { userId: String(userId), origin: 'users-permissions' }, select: ['sessionId'] })) as {
      sessionId: string;
    }[];
    return rows.map((row) => row.sessionId);
  }

  it('should list both sign-ins of a user with how each was signed in and its device', async () => {
    const user = await userWithoutSessions();
    await signInWithSms(user, FIREFOX_ON_LINUX);
    await signInWithSms(user, SAFARI_ON_IOS);
    const response = await listSessions(user.id);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.mode).toBe('refresh');
    expect(response.body.sessions).toHaveLength(2);
    expect(response.body.sessions.map((session) => session.deviceName).sort()).toEqual([
      'Firefox on Linux',
      'Safari on iOS',
    ]);
    for (const session of response.body.sessions) {
      expect(session).toMatchObject({ aal: 2, amr: ['pwd', 'sms', 'mfa'] });
      expect(Math.abs(Date.parse(session.authTime ?? '') / 1000 - pluginNowSeconds(app))).toBeLessThanOrEqual(5);
      expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(session.signedInAt ?? '')).toBeLessThanOrEqual(Date.now());
    }
  });

  it('should show at most a short prefix of a session id, never the id itself', async () => {
    const user = await userWithoutSessions();
    await signInWithSms(user, FIREFOX_ON_LINUX);
    const response = await listSessions(user.id);
    const [sessionId] = await storedSessionIds(user.id);
    expect(sessionId).toEqual(expect.any(String));
    expect(response.body.sessions[0]?.idPrefix).toBe(sessionId?.slice(0, 8));
    expect(JSON.stringify(response.body)).not.toContain(sessionId);
  });

  it('should list a refreshed session once, with its last refresh', async () => {
    const user = await userWithoutSessions();
    const cookie = await signInWithSms(user, FIREFOX_ON_LINUX);
    const before = (await listSessions(user.id)).body.sessions;
    const refreshed = await refresh(cookie);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const after = (await listSessions(user.id)).body.sessions;
    expect(after).toHaveLength(1);
    expect(after[0]?.idPrefix).not.toBe(before[0]?.idPrefix);
    expect(after[0]).toMatchObject({ aal: 2, signedInAt: before[0]?.signedInAt, deviceName: 'Firefox on Linux' });
    expect(Date.parse(after[0]?.lastRefreshedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(before[0]?.lastRefreshedAt ?? ''),
    );
  });

  it('should list a password-only session as aal 1 with no recorded second step', async () => {
    const user = await signUp(app, 'plain');
    const again = await startLogin(app, user);
    expect(again.status).toBe(200);
    const response = await listSessions(user.id);
    expect(response.body.sessions).toHaveLength(2);
    for (const session of response.body.sessions) {
      expect(session).toMatchObject({ aal: 1, amr: ['pwd'], authTime: null });
    }
  });

  it('should end every session: both refresh tokens are refused afterwards', async () => {
    const user = await userWithoutSessions();
    const first = await signInWithSms(user, FIREFOX_ON_LINUX);
    const second = await signInWithSms(user, SAFARI_ON_IOS);
    const ended = await endSessions(user.id);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body).toEqual({ mode: 'refresh', ended: 2 });
    for (const cookie of [first, second]) {
      const response = await refresh(cookie);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('Invalid refresh token');
    }
    expect((await listSessions(user.id)).body.sessions).toEqual([]);
  });

  it('should end a session refreshed since the sign-in, with every record of it', async () => {
    const user = await userWithoutSessions();
    const signedIn = await signInWithSms(user, FIREFOX_ON_LINUX);
    const rotated = await refresh(signedIn);
    expect(rotated.status).toBe(200);
    expect(await storedSessionIds(user.id)).toHaveLength(2);
    const ended = await endSessions(user.id);
    expect(ended.body).toEqual({ mode: 'refresh', ended: 1 });
    expect((await refresh(cookieHeader(rotated.setCookies))).status).toBe(401);
    expect(await storedSessionIds(user.id)).toEqual([]);
  });

  it('should log who ended the sessions and how many', async () => {
    const user = await userWithoutSessions();
    await signInWithSms(user, FIREFOX_ON_LINUX);
    await endSessions(user.id);
    const events = await app.http.get<Page<AdminEventRow>>(`/two-factor/events?type=sessions.ended&userId=${user.id}`, {
      jwt: admin.token,
    });
    expect(events.body.results).toHaveLength(1);
    expect(events.body.results[0]).toMatchObject({ userId: user.id, actor: admin.email, details: { count: 1 } });
  });

  it('should let an admin who may only read list the sessions, and refuse them the ending with 403', async () => {
    const readOnly = await createAdmin(app, await createAdminRole(app, ['plugin::two-factor.read']));
    const user = await userWithoutSessions();
    const cookie = await signInWithSms(user, FIREFOX_ON_LINUX);
    expect((await listSessions(user.id, readOnly.token)).body.sessions).toHaveLength(1);
    const refused = await endSessions(user.id, readOnly.token);
    expect(refused.status).toBe(403);
    expect((await refresh(cookie)).status).toBe(200);
  });

  it('should refuse an admin without the plugin permissions with 403 on both routes', async () => {
    const withoutRights = await createAdmin(app, await createAdminRole(app, []));
    const user = await userWithoutSessions();
    const cookie = await signInWithSms(user, FIREFOX_ON_LINUX);
    expect((await listSessions(user.id, withoutRights.token)).status).toBe(403);
    expect((await endSessions(user.id, withoutRights.token)).status).toBe(403);
    expect((await refresh(cookie)).status).toBe(200);
  });

  it('should answer 401 without an admin token, and to a content API user', async () => {
    const user = await signUp(app, 'intruder');
    for (const token of [undefined, user.jwt]) {
      const options = token === undefined ? {} : { jwt: token };
      expect((await app.http.get(`/two-factor/users/${user.id}/sessions`, options)).status).toBe(401);
      expect((await app.http.post(`/two-factor/users/${user.id}/sessions/end`, {}, options)).status).toBe(401);
    }
  });

  it('should answer 404 NOT_FOUND for an unknown user', async () => {
    for (const response of [await listSessions(2_000_000_000), await endSessions(2_000_000_000)]) {
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('NOT_FOUND');
    }
  });

  it('should refuse an id that is not a positive integer with INVALID_INPUT', async () => {
    const response = await listSessions(-1);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
  });
});

describe(`admin API: sessions in legacy-support jwt mode on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'legacy-support' } });
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should say there are no server sessions to list', async () => {
    const user = await signUp(app, 'legacy');
    const response = await app.http.get<SessionsBody>(`/two-factor/users/${user.id}/sessions`, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ mode: 'legacy-support', sessions: [] });
  });

  it('should end nothing, log nothing, and leave the token working', async () => {
    const user = await signUp(app, 'legacy');
    const response = await app.http.post<EndedBody>(
      `/two-factor/users/${user.id}/sessions/end`,
      {},
      { jwt: admin.token },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ mode: 'legacy-support', ended: 0 });
    const events = await app.http.get<Page<AdminEventRow>>(`/two-factor/events?type=sessions.ended&userId=${user.id}`, {
      jwt: admin.token,
    });
    expect(events.body.results).toEqual([]);
    expect((await app.http.get('/api/users/me', { jwt: user.jwt })).status).toBe(200);
  });

  it('should answer 404 NOT_FOUND for an unknown user', async () => {
    const response = await app.http.get(`/two-factor/users/2000000000/sessions`, { jwt: admin.token });
    expect(response.status).toBe(404);
    expect(errorCode(response)).toBe('NOT_FOUND');
  });
});
