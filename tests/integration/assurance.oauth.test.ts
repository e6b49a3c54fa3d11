import { randomBytes } from 'node:crypto';
import {
  databaseUnderTest,
  type ExampleApp,
  type OAuthIdentity,
  type OAuthProvider,
  startExampleApp,
  startOAuthProvider,
} from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload } from '../support/assurance';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, enrolSms, uniquePhone, waitForSms } from '../support/twoFactor';
import { cookieHeader } from '../support/users';

const PROVIDER = 'devoauth';
const FRONT_END_CALLBACK = `https://front-end.example.test/connect/${PROVIDER}/redirect`;

function redirectTarget(response: { status: number; headers: Headers }): URL {
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

describe(`assurance claims of an OAuth sign-in on ${databaseUnderTest()}`, () => {
  let provider: OAuthProvider;
  let app: ExampleApp;

  beforeAll(async () => {
    provider = await startOAuthProvider();
    app = await startExampleApp({ env: { ...provider.env(), OAUTH_DEV_PROVIDER_CALLBACK: FRONT_END_CALLBACK } });
    // PORT=0: the redirect_uri Strapi sends the provider is built from its URL (docs/notes.md).
    app.strapi.config.set('server.url', app.url);
    app.strapi.config.set('server.absoluteUrl', app.url);
  });

  afterAll(async () => {
    await app?.stop();
    await provider?.close();
  });

  /** connect → provider → connect callback → `GET /api/auth/devoauth/callback`, as sms-sign-in.oauth does. */
  async function signInWithProvider<Body>(identity: OAuthIdentity) {
    provider.nextIdentity(identity);
    const connect = await app.http.get(`/api/connect/${PROVIDER}`);
    const approved = await fetch(redirectTarget(connect), { redirect: 'manual' });
    const back = redirectTarget(approved);
    const connected = await app.http.get(`${back.pathname}${back.search}`, {
      cookie: cookieHeader(connect.setCookies),
    });
    expect(redirectTarget(connected).toString()).toBe(FRONT_END_CALLBACK);
    // koa-session rewrites its cookie on the connect callback: the later one wins.
    const cookies = new Map<string, string>();
    for (const pair of cookieHeader([...connect.setCookies, ...connected.setCookies]).split('; ')) {
      const equals = pair.indexOf('=');
      if (equals > 0) cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return app.http.get<Body>(`/api/auth/${PROVIDER}/callback`, { cookie });
  }

  it('should record the provider, not a password, with the SMS code at AAL1', async () => {
    const suffix = randomBytes(4).toString('hex');
    const identity = { username: `oauth_${suffix}`, email: `oauth.${suffix}@example.test` };
    const first = await signInWithProvider<StrapiLoginBody>(identity);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const { phone } = await enrolSms(app, first.body.jwt, uniquePhone());
    const sent = (await app.sms.messages(phone)).length;
    const step1 = await signInWithProvider<ChallengeBody>(identity);
    expect(step1.body.mfaRequired, JSON.stringify(step1.body)).toBe(true);
    await waitForSms(app, phone, sent + 1);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'sms',
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(jwtPayload(verified.body.jwt)).toMatchObject({ amr: ['fed', 'sms'], aal: 1 });
  });
});
