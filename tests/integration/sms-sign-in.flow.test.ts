import {
  databaseUnderTest,
  type ExampleApp,
  type HttpResponse,
  startExampleApp,
  TEST_TWILIO,
} from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { errorCode, loginChallenge, startLogin, userWithSmsFactor, waitForSms } from '../support/twoFactor';
import { cookieHeader, newUser } from '../support/users';

describe(`two-step sign-in with an SMS code on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should answer step 1 with a challenge and no jwt, refresh token or session cookie', async () => {
    const user = await userWithSmsFactor(app);
    const response = await startLogin(app, user);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['challenge', 'mfaRequired']);
    expect(response.body.challenge).toMatchObject({
      methods: ['sms', 'recovery_code'],
      method: 'sms',
      sentTo: expect.stringMatching(/^\+1 .*\d{4}$/),
    });
    expect(response.body.challenge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(response.body.challenge.expiresAt) - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    expect(response.body).not.toHaveProperty('jwt');
    expect(JSON.stringify(response.body)).not.toContain('refreshToken');
    expect(response.setCookies.filter((c) => c.startsWith('strapi_up_refresh='))).toEqual([]);
  });

  it("should send the code through Twilio's Messages API with the right To, From, auth and text", async () => {
    const user = await userWithSmsFactor(app);
    await loginChallenge(app, user);
    const sms = await app.sms.last(user.phone);
    expect(sms).toMatchObject({
      api: 'messages',
      to: user.phone,
      from: TEST_TWILIO.from,
      basicAuthUser: TEST_TWILIO.accountSid,
    });
    expect(sms.body).toMatch(/^\d{6} is your Example verification code\. It expires in 5 minutes\.$/);
  });

  it('should refuse the challenge token as a Bearer token', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    const me = await app.http.get('/api/users/me', { jwt: token });
    expect(me.status).toBe(401);
  });

  it("should end with Strapi's login body and a working refresh cookie after the right code", async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'user']);
    expect(verify.body.user).toMatchObject({ id: user.id, username: user.username });
    expect(verify.body.user).not.toHaveProperty('password');
    expect(verify.setCookies.find((c) => c.startsWith('strapi_up_refresh='))).toMatch(/httponly/i);

    const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: verify.body.jwt });
    expect(me.status).toBe(200);
    const refresh = await app.http.post<StrapiLoginBody>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(verify.setCookies) },
    );
    expect(refresh.status).toBe(200);
  });

  it("should answer step 2 like Strapi's login for each x-strapi-refresh-cookie header with sessions.httpOnly on", async () => {
    // users-permissions reads one value of the header, `httpOnly`, and only to ask for the
    // cookie; with sessions.httpOnly on, every client gets the cookie whatever it sends.
    for (const header of [undefined, 'httpOnly', 'none']) {
      const headers = header === undefined ? undefined : { 'x-strapi-refresh-cookie': header };
      const plain = newUser();
      expect((await app.http.post('/api/auth/local/register', plain)).status).toBe(200);
      const login = await app.http.post<StrapiLoginBody>(
        '/api/auth/local',
        { identifier: plain.username, password: plain.password },
        { headers },
      );
      const user = await userWithSmsFactor(app);
      const { token, code } = await loginChallenge(app, user);
      const verify = await app.http.post<StrapiLoginBody>(
        '/api/two-factor/challenge/verify',
        { token, method: 'sms', code },
        { headers },
      );
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
      expect(login.status).toBe(200);
      expect(Object.keys(verify.body).sort(), `header ${header}`).toEqual(Object.keys(login.body).sort());
      expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'user']);
      expect(verify.setCookies.some((c) => c.startsWith('strapi_up_refresh='))).toBe(true);
      expect(login.setCookies.some((c) => c.startsWith('strapi_up_refresh='))).toBe(true);
    }
  });

  it('should keep the deviceId of step 1 for the session it finally opens', async () => {
    const user = await userWithSmsFactor(app);
    const before = (await app.sms.messages(user.phone)).length;
    const step1 = await startLogin(app, user, { deviceId: 'device-from-step-1' });
    await waitForSms(app, user.phone, before + 1);
    const code = await app.sms.lastCode(user.phone);
    const verify = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'sms',
      code,
    });
    expect(verify.status).toBe(200);
    const sessions = await app.http.get<{ data: { deviceId: string }[] }>('/api/auth/sessions', {
      jwt: verify.body.jwt,
    });
    expect(sessions.body.data.map((s) => s.deviceId)).toContain('device-from-step-1');
  });

  it('should still answer users without two-step verification with tokens at step 1', async () => {
    const user = newUser();
    await app.http.post('/api/auth/local/register', user);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.email,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body).sort()).toEqual(['jwt', 'user']);
  });

  it('should refuse a wrong password of a two-step user before any challenge or SMS', async () => {
    const user = await userWithSmsFactor(app);
    const before = (await app.sms.messages(user.phone)).length;
    const login = await app.http.post('/api/auth/local', { identifier: user.username, password: 'not-the-password' });
    expect(login.status).toBe(400);
    expect((login.body as { error: { message: string } }).error.message).toBe('Invalid identifier or password');
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(user.phone)).toHaveLength(before);
  });

  it("should leave the challenge usable and no session behind when Strapi's token issuing fails", async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const sessionsOfUser = async (): Promise<number> =>
      app.strapi.db.query('admin::session').count({ where: { userId: String(user.id) } });
    const sessionsBefore = await sessionsOfUser();
    // Strapi's own session manager fails once after it wrote the session row: the access
    // token, signed after the refresh token's row is in (a fault, as a full disk or a bad key
    // would raise; everything else is the real app).
    const manager = (app.strapi.sessionManager('users-permissions') as unknown as { sessionManager: object })
      .sessionManager as { generateAccessToken(...args: unknown[]): Promise<unknown> };
    const original = manager.generateAccessToken;
    manager.generateAccessToken = async () => {
      manager.generateAccessToken = original;
      throw new Error('token issuing failed');
    };
    try {
      const failed = await app.http.post('/api/two-factor/challenge/verify', { token, method: 'sms', code });
      expect(failed.status).toBe(500);
      expect(failed.setCookies.find((c) => c.startsWith('strapi_up_refresh='))).toBeUndefined();
    } finally {
      manager.generateAccessToken = original;
    }
    // The success's writes and the session were one transaction: all undone, the code still
    // good, and the failed request's attempt given back (the rollback on SQLite, a conditional
    // UPDATE on PostgreSQL and MySQL, where the challenge's UPDATE stands before it).
    expect(await sessionsOfUser()).toBe(sessionsBefore);
    const challengeOf = async () =>
      (await app.strapi.db
        .query('plugin::two-factor.challenge')
        .findOne({ where: { userId: user.id }, orderBy: { id: 'desc' } })) as { attempts: number; consumedAt: unknown };
    expect(await challengeOf()).toMatchObject({ attempts: 0, consumedAt: null });
    const succeeded = await app.strapi.db
      .query('plugin::two-factor.event')
      .count({ where: { userId: user.id, type: 'sign-in.succeeded' } });
    expect(succeeded).toBe(0);
    const retried = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(await sessionsOfUser()).toBe(sessionsBefore + 1);
    expect((await challengeOf()).attempts).toBe(1);
  });

  it('should store the code only as an HMAC digest', async () => {
    const user = await userWithSmsFactor(app);
    const { code } = await loginChallenge(app, user);
    const rows = (await app.strapi.db
      .query('plugin::two-factor.challenge')
      .findMany({ where: { userId: user.id } })) as {
      codeHash: string;
      tokenHash: string;
    }[];
    for (const row of rows) {
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(code);
    }
  });

  it('should answer bad input with 400 INVALID_INPUT, never 500', async () => {
    for (const body of [
      {},
      { token: 1, method: 'sms', code: '1' },
      { token: 'x'.repeat(500), method: 'sms', code: '123456' },
    ]) {
      const response = await app.http.post('/api/two-factor/challenge/verify', body);
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('INVALID_INPUT');
    }
    const unknownToken = await app.http.post('/api/two-factor/challenge/verify', {
      token: 'a'.repeat(43),
      method: 'sms',
      code: '123456',
    });
    expect(unknownToken.status).toBe(400);
    expect(errorCode(unknownToken)).toBe('INVALID_CHALLENGE');
  });
});

describe(`step 2 and the x-strapi-refresh-cookie header with sessions.httpOnly off on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Plain Strapi's login for a user without a factor, and step 2 for one with, same headers. */
  async function bothSignIns(
    headers: Record<string, string> | undefined,
  ): Promise<{ login: HttpResponse<StrapiLoginBody>; verify: HttpResponse<StrapiLoginBody> }> {
    const plain = newUser();
    expect((await app.http.post('/api/auth/local/register', plain)).status).toBe(200);
    const login = await app.http.post<StrapiLoginBody>(
      '/api/auth/local',
      { identifier: plain.username, password: plain.password },
      { headers },
    );
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post<StrapiLoginBody>(
      '/api/two-factor/challenge/verify',
      { token, method: 'sms', code },
      { headers },
    );
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    return { login, verify };
  }

  const refreshCookies = (response: HttpResponse<unknown>): string[] =>
    response.setCookies.filter((c) => c.startsWith('strapi_up_refresh='));

  it('should put the refresh token in the body and set no cookie when the client sends no header', async () => {
    const { login, verify } = await bothSignIns(undefined);
    expect(Object.keys(login.body).sort()).toEqual(['jwt', 'refreshToken', 'user']);
    expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'refreshToken', 'user']);
    expect(refreshCookies(login)).toEqual([]);
    expect(refreshCookies(verify)).toEqual([]);
    const refresh = await app.http.post<StrapiLoginBody>('/api/auth/refresh', {
      refreshToken: verify.body.refreshToken,
    });
    expect(refresh.status).toBe(200);
  });

  it('should put the refresh token in an http-only cookie, not the body, when the client asks by header', async () => {
    const { login, verify } = await bothSignIns({ 'x-strapi-refresh-cookie': 'httpOnly' });
    expect(Object.keys(login.body).sort()).toEqual(['jwt', 'user']);
    expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'user']);
    expect(refreshCookies(login)).toHaveLength(1);
    expect(refreshCookies(verify)).toHaveLength(1);
    expect(refreshCookies(verify)[0]).toMatch(/httponly/i);
    const refresh = await app.http.post<StrapiLoginBody>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(verify.setCookies), headers: { 'x-strapi-refresh-cookie': 'httpOnly' } },
    );
    expect(refresh.status).toBe(200);
  });

  it('should treat any other header value as no header, as Strapi does', async () => {
    const { login, verify } = await bothSignIns({ 'x-strapi-refresh-cookie': 'true' });
    expect(Object.keys(login.body).sort()).toEqual(['jwt', 'refreshToken', 'user']);
    expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'refreshToken', 'user']);
    expect(refreshCookies(verify)).toEqual([]);
  });
});
