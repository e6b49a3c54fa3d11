import { randomBytes } from 'node:crypto';
import {
  databaseUnderTest,
  type ExampleApp,
  type HttpResponse,
  type OAuthIdentity,
  type OAuthProvider,
} from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, FRONT_END_CALLBACK, PROVIDER, startAppWithOAuthProvider } from '../support/oauth';
import type { StrapiErrorBody, StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, enrolSms, uniquePhone, waitForSms } from '../support/twoFactor';

const REFRESH_COOKIE = 'strapi_up_refresh=';
/** Per account and minute; each test below signs a new account in at most twice. */
const SIGN_INS_PER_ACCOUNT = 5;

type CallbackBody = StrapiLoginBody | ChallengeBody | StrapiErrorBody;

function location(response: { status: number; headers: Headers }): URL {
  expect(response.status).toBe(302);
  const target = response.headers.get('location');
  expect(target).toEqual(expect.any(String));
  return new URL(target as string);
}

function newIdentity(): OAuthIdentity {
  const suffix = randomBytes(4).toString('hex');
  // Mixed case: users-permissions lower-cases the email it stores.
  return { username: `oauth_${suffix}`, email: `OAuth.${suffix}@Example.test` };
}

describe(`the OAuth provider callback on ${databaseUnderTest()}`, () => {
  let provider: OAuthProvider;
  let app: ExampleApp;
  const users = () => app.strapi.db.query('plugin::users-permissions.user');

  beforeAll(async () => {
    ({ provider, app } = await startAppWithOAuthProvider({
      TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: String(SIGN_INS_PER_ACCOUNT),
    }));
  });

  afterAll(async () => {
    await app?.stop();
    await provider?.close();
  });

  /**
   * What a browser and a front end do: `/api/connect/devoauth` (Strapi keeps a `state` in its
   * session cookie) → the provider's `/authorize` → `/api/connect/devoauth/callback` (Strapi
   * exchanges the code at `/token` and keeps the access token in the session) → the front
   * end's page → `GET /api/auth/devoauth/callback` with the session cookie.
   */
  async function signInWithProvider(identity: OAuthIdentity): Promise<HttpResponse<CallbackBody>> {
    const jar = await connectWithProvider(identity);
    return app.http.get<CallbackBody>(`/api/auth/${PROVIDER}/callback`, { cookie: jar.header() });
  }

  /** The round trip up to the front end's page: the session cookie now holds the provider's answer. */
  async function connectWithProvider(identity: OAuthIdentity): Promise<CookieJar> {
    provider.nextIdentity(identity);
    const jar = new CookieJar();

    const connect = await app.http.get(`/api/connect/${PROVIDER}`);
    jar.store(connect.setCookies);
    const authorize = location(connect);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.url}/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/api/connect/${PROVIDER}/callback`);

    const approved = await fetch(authorize, { redirect: 'manual' });
    const back = location(approved);
    expect(back.origin).toBe(app.url);
    expect(back.searchParams.get('code')).toEqual(expect.any(String));

    const connected = await app.http.get(`${back.pathname}${back.search}`, { cookie: jar.header() });
    jar.store(connected.setCookies);
    // No `error` in the query: the code exchange succeeded.
    expect(location(connected).toString()).toBe(FRONT_END_CALLBACK);
    return jar;
  }

  async function userId(identity: OAuthIdentity): Promise<number> {
    const where = { email: identity.email.toLowerCase(), provider: PROVIDER };
    const row = (await users().findOne({ where })) as { id: number } | null;
    if (row === null) throw new Error(`No ${PROVIDER} user ${identity.email}`);
    return row.id;
  }

  /** A provider user's first sign-in, which creates it, and its jwt. */
  async function firstSignIn(identity: OAuthIdentity): Promise<string> {
    const response = await signInWithProvider(identity);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body as StrapiLoginBody).jwt;
  }

  const refreshCookies = (response: HttpResponse<unknown>) =>
    response.setCookies.filter((cookie) => cookie.startsWith(REFRESH_COOKIE));

  it("should give a provider user without two-step verification Strapi's login body", async () => {
    const identity = newIdentity();
    const exchanges = () => provider.requests.filter((r) => r.path === '/token' && r.status === 200).length;
    const exchangesBefore = exchanges();
    const response = await signInWithProvider(identity);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body as StrapiLoginBody;
    // Refresh mode with http-only sessions: the refresh token is a cookie, not in the body.
    expect(Object.keys(body).sort()).toEqual(['jwt', 'user']);
    expect(body.user).toMatchObject({
      username: identity.username,
      email: identity.email.toLowerCase(),
      provider: PROVIDER,
      confirmed: true,
    });
    expect(body.user).not.toHaveProperty('password');
    expect(refreshCookies(response)).toHaveLength(1);
    const me = await app.http.get<{ id: number }>('/api/users/me', { jwt: body.jwt });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(body.user.id);
    // The code really went through the provider's token endpoint.
    expect(exchanges()).toBe(exchangesBefore + 1);
  });

  it('should answer a provider user with an SMS factor with a challenge: no jwt, no refresh token, no cookie', async () => {
    const identity = newIdentity();
    const jwt = await firstSignIn(identity);
    const { phone } = await enrolSms(app, jwt, uniquePhone());
    const sent = (await app.sms.messages(phone)).length;

    const response = await signInWithProvider(identity);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body as ChallengeBody;
    expect(Object.keys(body).sort()).toEqual(['challenge', 'mfaRequired']);
    expect(body.mfaRequired).toBe(true);
    expect(body.challenge).toMatchObject({ method: 'sms', methods: expect.arrayContaining(['sms']) });
    expect(body.challenge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toMatch(/jwt|refreshToken/);
    expect(refreshCookies(response)).toEqual([]);
    // The challenge token is no access token.
    expect((await app.http.get('/api/users/me', { jwt: body.challenge.token })).status).toBe(401);
    await waitForSms(app, phone, sent + 1);
  });

  it('should give the tokens once the challenge is finished with the SMS code', async () => {
    const identity = newIdentity();
    const jwt = await firstSignIn(identity);
    const { phone } = await enrolSms(app, jwt, uniquePhone());
    const sent = (await app.sms.messages(phone)).length;
    const step1 = await signInWithProvider(identity);
    expect((step1.body as ChallengeBody).mfaRequired, JSON.stringify(step1.body)).toBe(true);
    const { token } = (step1.body as ChallengeBody).challenge;
    await waitForSms(app, phone, sent + 1);
    const code = await app.sms.lastCode(phone);

    const verify = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(Object.keys(verify.body).sort()).toEqual(['jwt', 'user']);
    expect(verify.body.user).toMatchObject({ id: await userId(identity), provider: PROVIDER });
    expect(refreshCookies(verify)).toHaveLength(1);
    const me = await app.http.get<{ id: number }>('/api/users/me', { jwt: verify.body.jwt });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(verify.body.user.id);
  });

  it("should give a blocked provider user Strapi's error, with or without a factor, and send no code", async () => {
    const plain = newIdentity();
    await firstSignIn(plain);
    const enrolled = newIdentity();
    const { phone } = await enrolSms(app, await firstSignIn(enrolled), uniquePhone());
    for (const identity of [plain, enrolled]) {
      await users().update({ where: { id: await userId(identity) }, data: { blocked: true } });
    }
    const sent = (await app.sms.messages(phone)).length;

    for (const identity of [plain, enrolled]) {
      const response = await signInWithProvider(identity);
      expect(response.status, identity.username).toBe(400);
      // users-permissions' callback throws ForbiddenError and rethrows it as ApplicationError.
      expect((response.body as StrapiErrorBody).error).toMatchObject({
        status: 400,
        name: 'ApplicationError',
        message: 'Your account has been blocked by an administrator',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/jwt|refreshToken|mfaRequired|challenge/);
      expect(refreshCookies(response)).toEqual([]);
    }
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(phone)).toHaveLength(sent);
  });

  it('should give no token when the provider refuses the code', async () => {
    const jar = new CookieJar();
    const connect = await app.http.get(`/api/connect/${PROVIDER}`);
    jar.store(connect.setCookies);
    const state = location(connect).searchParams.get('state') ?? '';
    const forged = await app.http.get(
      `/api/connect/${PROVIDER}/callback?code=${randomBytes(24).toString('base64url')}&state=${state}`,
      { cookie: jar.header() },
    );
    jar.store(forged.setCookies);
    const landing = location(forged);
    expect(landing.searchParams.get('error')).toBe('oauth_error');
    expect(provider.requests.at(-1)).toMatchObject({ path: '/token', status: 400 });

    const response = await app.http.get<StrapiErrorBody>(`/api/auth/${PROVIDER}/callback`, {
      cookie: jar.header(),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('OAuth authentication requires a completed provider session');
    expect(refreshCookies(response)).toEqual([]);
  });

  it('should limit sign-ins through one replayed provider session per account, like password sign-ins', async () => {
    const identity = newIdentity();
    // The first sign-in (which creates the account) is the account's first of the minute.
    const { phone } = await enrolSms(app, await firstSignIn(identity), uniquePhone());
    const sent = (await app.sms.messages(phone)).length;
    // Strapi's session lives in the cookie: the same cookie can be sent again and again.
    const jar = await connectWithProvider(identity);
    const replays: HttpResponse<CallbackBody>[] = [];
    for (let i = 0; i < SIGN_INS_PER_ACCOUNT; i += 1) {
      replays.push(await app.http.get<CallbackBody>(`/api/auth/${PROVIDER}/callback`, { cookie: jar.header() }));
    }
    expect(replays.map((r) => r.status)).toEqual([...Array<number>(SIGN_INS_PER_ACCOUNT - 1).fill(200), 429]);
    const refused = replays.at(-1) as HttpResponse<CallbackBody>;
    expect((refused.body as StrapiErrorBody).error.details).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // One challenge and one SMS per sign-in let through, none for the refused one.
    await waitForSms(app, phone, sent + SIGN_INS_PER_ACCOUNT - 1);
    expect(await app.sms.messages(phone)).toHaveLength(sent + SIGN_INS_PER_ACCOUNT - 1);
  });
});
