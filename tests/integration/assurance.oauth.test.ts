import { randomBytes } from 'node:crypto';
import {
  databaseUnderTest,
  type ExampleApp,
  type OAuthIdentity,
  type OAuthProvider,
} from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload } from '../support/assurance';
import { CookieJar, FRONT_END_CALLBACK, PROVIDER, startAppWithOAuthProvider } from '../support/oauth';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, enrolSms, uniquePhone, waitForSms } from '../support/twoFactor';
import { cookieHeader } from '../support/users';

function redirectTarget(response: { status: number; headers: Headers }): URL {
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

describe(`assurance claims of an OAuth sign-in on ${databaseUnderTest()}`, () => {
  let provider: OAuthProvider;
  let app: ExampleApp;

  beforeAll(async () => {
    ({ provider, app } = await startAppWithOAuthProvider());
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
    const jar = new CookieJar();
    jar.store([...connect.setCookies, ...connected.setCookies]);
    return app.http.get<Body>(`/api/auth/${PROVIDER}/callback`, { cookie: jar.header() });
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
