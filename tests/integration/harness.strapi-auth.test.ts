import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiErrorBody, StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { cookieHeader, newUser } from '../support/users';

/**
 * A user without two-step verification signs up and in exactly as on a plain Strapi, in
 * each of users-permissions' token modes.
 */
const MODES = [
  {
    name: 'refresh mode with the http-only cookie',
    env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' },
    cookie: true,
  },
  {
    name: 'refresh mode with the token in the body',
    env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'false' },
    cookie: false,
  },
  {
    name: 'legacy-support mode',
    env: { UP_JWT_MANAGEMENT: 'legacy-support', UP_SESSIONS_HTTP_ONLY: 'false' },
    cookie: false,
  },
] as const;

const REFRESH_COOKIE = 'strapi_up_refresh';

describe.each(MODES)(`users-permissions on ${databaseUnderTest()}, $name`, (mode) => {
  let app: ExampleApp;
  const isRefreshMode = mode.env.UP_JWT_MANAGEMENT === 'refresh';
  const expectedKeys = isRefreshMode && !mode.cookie ? ['jwt', 'refreshToken', 'user'] : ['jwt', 'user'];

  beforeAll(async () => {
    app = await startExampleApp({ env: mode.env });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should register a user and hand out the tokens of this mode', async () => {
    const user = newUser();
    const response = await app.http.post<StrapiLoginBody>('/api/auth/local/register', user);
    expect(response.status).toBe(200);
    // Strapi 5.54's register ignores `sessions.httpOnly`: in refresh mode it always puts the
    // refresh token in the body and sets no cookie (controllers/auth.js, register).
    expect(Object.keys(response.body).sort()).toEqual(
      isRefreshMode ? ['jwt', 'refreshToken', 'user'] : ['jwt', 'user'],
    );
    expect(response.body.user).toMatchObject({
      username: user.username,
      email: user.email,
      confirmed: true,
      blocked: false,
    });
    expect(response.body.user).not.toHaveProperty('password');
    expect(response.setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`))).toBe(false);
  });

  it('should set the http-only refresh cookie on sign-in only when the mode asks for it', async () => {
    const user = newUser();
    await app.http.post('/api/auth/local/register', user);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    const refreshCookie = login.setCookies.find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
    if (mode.cookie) {
      expect(refreshCookie).toMatch(/; httponly/i);
    } else {
      expect(refreshCookie).toBeUndefined();
    }
  });

  it('should sign in with /api/auth/local and accept the jwt on /api/users/me', async () => {
    const user = newUser();
    await app.http.post('/api/auth/local/register', user);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.email,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body).sort()).toEqual(expectedKeys);
    const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: login.body.jwt });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(user.username);
  });

  it("should refuse a wrong password with Strapi's own error", async () => {
    const user = newUser();
    await app.http.post('/api/auth/local/register', user);
    const login = await app.http.post<StrapiErrorBody>('/api/auth/local', {
      identifier: user.username,
      password: 'wrong-password',
    });
    expect(login.status).toBe(400);
    expect(login.body).toEqual({
      data: null,
      error: { status: 400, name: 'ValidationError', message: 'Invalid identifier or password', details: {} },
    });
  });

  it.runIf(isRefreshMode)(
    'should rotate the refresh token on /api/auth/refresh into a working access token',
    async () => {
      const user = newUser();
      await app.http.post('/api/auth/local/register', user);
      const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
        identifier: user.email,
        password: user.password,
      });
      const refresh = mode.cookie
        ? await app.http.post<StrapiLoginBody>('/api/auth/refresh', {}, { cookie: cookieHeader(login.setCookies) })
        : await app.http.post<StrapiLoginBody>('/api/auth/refresh', { refreshToken: login.body.refreshToken });
      expect(refresh.status).toBe(200);
      expect(refresh.body.jwt).toEqual(expect.any(String));
      if (mode.cookie) expect(refresh.setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`))).toBe(true);
      else expect(refresh.body.refreshToken).toEqual(expect.any(String));
      const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: refresh.body.jwt });
      expect(me.status).toBe(200);
    },
  );

  it.runIf(!isRefreshMode)('should answer 404 on /api/auth/refresh, as Strapi does in legacy mode', async () => {
    const refresh = await app.http.post('/api/auth/refresh', { refreshToken: 'anything' });
    expect(refresh.status).toBe(404);
  });
});
