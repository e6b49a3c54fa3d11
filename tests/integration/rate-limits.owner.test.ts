import { randomBytes } from 'node:crypto';
import { databaseUnderTest, type ExampleApp, type HttpResponse, startExampleApp } from '@strapi-two-factor/test-utils';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, errorCode, loginChallenge, userWithSmsFactor } from '../support/twoFactor';
import { newUser } from '../support/users';

/** The account-wide cap on wrong passwords this file sets (the default is 100). */
const WRONG_PASSWORD_CAP = 40;

// Behind the example app's proxy setting each request names its client address in
// X-Forwarded-For, so one test process can be many clients (see rate-limits.test.ts).
describe(`sign-in limits that never lock the owner out on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({
      env: {
        IS_PROXIED: 'true',
        PROXY_HOPS: '1',
        // The plugin's default (the test harness raises it for every other file).
        TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '20',
        TWO_FACTOR_MAX_WRONG_PASSWORDS_PER_ACCOUNT: String(WRONG_PASSWORD_CAP),
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  function signInFrom(
    address: string,
    identifier: string,
    password: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<StrapiLoginBody & ChallengeBody>> {
    return app.http.post<StrapiLoginBody & ChallengeBody>(
      '/api/auth/local',
      { identifier, password },
      { headers: { 'x-forwarded-for': address, 'x-forwarded-proto': 'https', ...headers } },
    );
  }

  it("should give the owner Strapi's answer after 30 wrong passwords for the account from other addresses", async () => {
    const user = newUser('owner');
    const registered = await app.http.post<StrapiLoginBody>('/api/auth/local/register', user);
    expect(registered.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Three strangers, ten wrong passwords each: within their own per-address limit (20).
      statuses.push((await signInFrom(`198.51.100.${(i % 3) + 10}`, user.email, 'Wrong-passw0rd')).status);
    }
    expect(statuses).toEqual(Array<number>(30).fill(400));

    const owner = await signInFrom('203.0.113.5', user.email, user.password);
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
    expect(Object.keys(owner.body).sort()).toEqual(['jwt', 'user']);
    expect(owner.body.user.id).toBe(registered.body.user.id);
  });

  it('should still limit one address that keeps signing in to one account', async () => {
    const user = newUser('spammed');
    await app.http.post('/api/auth/local/register', user);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await signInFrom('198.51.100.40', user.email, 'Wrong-1')).status);
    expect(statuses).toEqual([...Array<number>(20).fill(400), 429]);
    // The same account from another address is not limited by that one.
    expect((await signInFrom('198.51.100.41', user.email, user.password)).status).toBe(200);
  });

  it('should stop wrong passwords spread over many addresses at the account-wide cap, but not a trusted device', async () => {
    const user = await userWithSmsFactor(app);
    // The owner's device, trusted at an earlier sign-in.
    const { token, code } = await loginChallenge(app, user);
    const trusted = await app.http.post<{ trustedDevice: { token: string } }>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
      trustDevice: true,
    });
    expect(trusted.status, JSON.stringify(trusted.body)).toBe(200);

    const answers: HttpResponse<unknown>[] = [];
    for (let i = 0; i < WRONG_PASSWORD_CAP + 5; i += 1) {
      // A new address each time: no per-address limit ever applies.
      answers.push(await signInFrom(`192.0.2.${i + 1}`, i % 2 === 0 ? user.username : user.email, 'Wrong-passw0rd'));
    }
    expect(answers.slice(0, WRONG_PASSWORD_CAP).map((a) => a.status)).toEqual(
      Array<number>(WRONG_PASSWORD_CAP).fill(400),
    );
    for (const refused of answers.slice(WRONG_PASSWORD_CAP)) {
      expect(refused.status).toBe(429);
      expect(errorCode(refused)).toBe('TOO_MANY_WRONG_PASSWORDS');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // The right password from a client that proves nothing is refused like a guess...
    const stranger = await signInFrom('192.0.2.200', user.username, user.password);
    expect(stranger.status).toBe(429);
    expect(errorCode(stranger)).toBe('TOO_MANY_WRONG_PASSWORDS');
    expect(JSON.stringify(stranger.body)).not.toMatch(/jwt|challenge/);
    // ...while the owner's trusted device still signs in.
    const owner = await signInFrom('192.0.2.201', user.username, user.password, {
      'x-two-factor-device': trusted.body.trustedDevice.token,
    });
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
    expect(owner.body.jwt).toEqual(expect.any(String));
  });

  it('should refuse unknown identifiers at the cap as it refuses known accounts', async () => {
    const identifier = `nobody.${Date.now()}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < WRONG_PASSWORD_CAP + 1; i += 1) {
      statuses.push((await signInFrom(`192.0.2.${(i % 200) + 1}`, identifier, 'Wrong-passw0rd')).status);
    }
    expect(statuses).toEqual([...Array<number>(WRONG_PASSWORD_CAP).fill(400), 429]);
  });
});

// One process serializes the in-memory count (bcrypt holds the event loop between the look and
// the charge), so the race shows where production deployments keep it: in Redis, one network
// round trip between reading the count and writing it.
describe(`the account-wide wrong-password cap under parallel guesses, counted in Redis, on ${databaseUnderTest()}`, () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `two-factor-test-${randomBytes(6).toString('hex')}`;
  const cap = 20;
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({
      env: {
        IS_PROXIED: 'true',
        PROXY_HOPS: '1',
        TWO_FACTOR_REDIS_URL: redisUrl,
        TWO_FACTOR_REDIS_KEY_PREFIX: prefix,
        TWO_FACTOR_MAX_WRONG_PASSWORDS_PER_ACCOUNT: String(cap),
      },
    });
    const limits = app.strapi.plugin('two-factor').service('rateLimits') as {
      connect(): Promise<void>;
      backend(): string;
    };
    await limits.connect();
    expect(limits.backend()).toBe('redis');
  });

  afterAll(async () => {
    await app?.stop();
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('should judge no more wrong passwords than the cap when they arrive at once', async () => {
    const user = newUser('parallel');
    expect((await app.http.post('/api/auth/local/register', user)).status).toBe(200);
    const extra = 25;
    const answers = await Promise.all(
      Array.from({ length: cap + extra }, (_, i) =>
        app.http.post(
          '/api/auth/local',
          { identifier: user.email, password: 'Wrong-passw0rd' },
          { headers: { 'x-forwarded-for': `192.0.2.${i + 1}`, 'x-forwarded-proto': 'https' } },
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(cap).fill(400), ...Array<number>(extra).fill(429)]);
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect(errorCode(refused)).toBe('TOO_MANY_WRONG_PASSWORDS');
    }
  });
});
