import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTwoFactorClient,
  TwoFactorApiError,
  type TwoFactorClient,
  type VerifiedSession,
} from '../../packages/client/src';
import { loginChallenge, userWithSmsFactor } from '../support/twoFactor';

const REFRESH_COOKIE = 'strapi_up_refresh';

/**
 * Node's fetch keeps no cookies; this one does, as a browser does for a client created with
 * `credentials: 'include'`.
 */
function cookieKeepingFetch(jar: Map<string, string>): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(input, { ...init, headers });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';', 1)[0] ?? '';
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}

/** A user with an SMS factor signs in through the client, step 2 included. */
async function signInWithSms(app: ExampleApp, client: TwoFactorClient): Promise<VerifiedSession> {
  const user = await userWithSmsFactor(app);
  const { token, code } = await loginChallenge(app, user);
  return client.verifyChallenge({ token, method: 'sms', code });
}

describe(`the client in refresh mode with the http-only cookie on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should leave the refresh token to the cookie and hold none itself', async () => {
    const jar = new Map<string, string>();
    const client = createTwoFactorClient({ baseUrl: app.url, fetch: cookieKeepingFetch(jar), credentials: 'include' });
    const session = await signInWithSms(app, client);
    expect(session).not.toHaveProperty('refreshToken');
    expect(client.getRefreshToken()).toBeNull();
    expect(jar.get(REFRESH_COOKIE)).toEqual(expect.any(String));
  });

  it('should refresh the jwt through the cookie and use the new one', async () => {
    const jar = new Map<string, string>();
    const client = createTwoFactorClient({ baseUrl: app.url, fetch: cookieKeepingFetch(jar), credentials: 'include' });
    await signInWithSms(app, client);
    const cookieBefore = jar.get(REFRESH_COOKIE);
    const refreshed = await client.refresh();
    expect(refreshed).toEqual({ jwt: expect.any(String) });
    expect(client.getAccessToken()).toBe(refreshed.jwt);
    expect(jar.get(REFRESH_COOKIE)).not.toBe(cookieBefore);
    expect((await client.me()).enabled).toBe(true);
  });

  it('should surface a refresh without the cookie as a 400 TwoFactorApiError', async () => {
    const client = createTwoFactorClient({ baseUrl: app.url });
    await signInWithSms(app, client);
    const error = await client.refresh().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 400, code: undefined, message: 'Missing refresh token' });
  });
});

describe(`the client in refresh mode with the token in the body on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should hold the refresh token that verifyChallenge returned', async () => {
    const client = createTwoFactorClient({ baseUrl: app.url });
    const session = await signInWithSms(app, client);
    expect(session.refreshToken).toEqual(expect.any(String));
    expect(client.getRefreshToken()).toBe(session.refreshToken);
  });

  it('should refresh with the held token, then hold the rotated one and the new jwt', async () => {
    const client = createTwoFactorClient({ baseUrl: app.url });
    const session = await signInWithSms(app, client);
    const refreshed = await client.refresh();
    expect(refreshed).toEqual({ jwt: expect.any(String), refreshToken: expect.any(String) });
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect(client.getRefreshToken()).toBe(refreshed.refreshToken);
    expect(client.getAccessToken()).toBe(refreshed.jwt);
    expect((await client.me()).enabled).toBe(true);
  });
});

describe(`the client in legacy-support mode on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'legacy-support', UP_SESSIONS_HTTP_ONLY: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should end a two-step sign-in with a jwt and the user only', async () => {
    const client = createTwoFactorClient({ baseUrl: app.url });
    const session = await signInWithSms(app, client);
    expect(Object.keys(session).sort()).toEqual(['jwt', 'user']);
    expect((await client.me()).enabled).toBe(true);
  });

  it('should surface refresh() as a 404 TwoFactorApiError, as Strapi has no refresh here', async () => {
    const client = createTwoFactorClient({ baseUrl: app.url });
    await signInWithSms(app, client);
    const error = await client.refresh().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 404, code: undefined });
    expect(client.getAccessToken()).not.toBeNull();
  });
});
