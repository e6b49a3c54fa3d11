import { randomBytes } from 'node:crypto';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../support/twoFactor';
import { newUser } from '../support/users';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe(`request rate limits in memory on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({
      env: { TWO_FACTOR_MAX_REQUESTS_PER_IP_PER_MINUTE: '10', TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '3' },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should limit sign-in attempts per account with 429 TOO_MANY_REQUESTS and Retry-After', async () => {
    const attempt = (identifier: string) => app.http.post('/api/auth/local', { identifier, password: 'whatever-1' });
    for (let i = 0; i < 3; i += 1) expect((await attempt('victim@example.test')).status).toBe(400);
    const fourth = await attempt('VICTIM@example.test');
    expect(fourth.status).toBe(429);
    expect(errorCode(fourth)).toBe('TOO_MANY_REQUESTS');
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('someone-else@example.test')).status).toBe(400);
  });

  it('should limit requests per IP across the plugin routes and /api/auth/local', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      // Not behind a proxy (IS_PROXIED=false): a new X-Forwarded-For each time changes nothing.
      const response = await app.http.post(
        '/api/two-factor/challenge/verify',
        { token: 'a'.repeat(43), method: 'sms', code: '123456' },
        { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } },
      );
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await app.http.post('/api/two-factor/phone/login', { phone: '+14155550100' });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('TOO_MANY_REQUESTS');
    expect((await app.http.post('/api/auth/local', newUser())).status).toBe(429);
  });
});

describe(`request rate limits in Redis on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const prefix = `two-factor-test-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });

  beforeAll(async () => {
    await redis.connect();
    app = await startExampleApp({
      env: {
        TWO_FACTOR_REDIS_URL: REDIS_URL,
        TWO_FACTOR_REDIS_KEY_PREFIX: prefix,
        TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '3',
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('should keep the counters in Redis', async () => {
    expect(app.strapi.plugin('two-factor').service('rateLimits').backend()).toBe('redis');
    for (let i = 0; i < 4; i += 1)
      await app.http.post('/api/auth/local', { identifier: 'counted@example.test', password: 'x-1234567' });
    const keys = await redis.keys(`${prefix}:sign-in-account*`);
    expect(keys.length).toBe(1);
    expect(Number(await redis.get(keys[0] ?? ''))).toBeGreaterThanOrEqual(3);
    const fifth = await app.http.post('/api/auth/local', { identifier: 'counted@example.test', password: 'x-1234567' });
    expect(fifth.status).toBe(429);
  });

  it('should refuse once a counter another instance filled in Redis is spent', async () => {
    const first = await app.http.post('/api/auth/local', { identifier: 'shared@example.test', password: 'x-1234567' });
    expect(first.status).toBe(400);
    // The counter is the account's from this client's address (`identifier:ip`); another
    // instance (here: Redis itself) already counted 3 attempts on it.
    const [key] = await redis.keys(`${prefix}:sign-in-account:shared@example.test:*`);
    await redis.set(key ?? '', '3', 'EX', 60);
    const attempt = await app.http.post('/api/auth/local', {
      identifier: 'shared@example.test',
      password: 'x-1234567',
    });
    expect(attempt.status).toBe(429);
  });
});

describe(`request rate limits while Redis is down on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    // Nothing listens on this port: every Redis call fails (the start-up logs it).
    app = await startExampleApp({
      env: { TWO_FACTOR_REDIS_URL: 'redis://127.0.0.1:6399', TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '3' },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should still limit, from memory, never with a 500', async () => {
    expect(app.strapi.plugin('two-factor').service('rateLimits').backend()).toBe('memory-fallback');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(
        (await app.http.post('/api/auth/local', { identifier: 'offline@example.test', password: 'x-1234567' })).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
  });
});

describe(`request rate limits behind a proxy on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({
      env: { IS_PROXIED: 'true', PROXY_HOPS: '1', TWO_FACTOR_MAX_REQUESTS_PER_IP_PER_MINUTE: '10' },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const verifyFrom = (forwardedFor: string) =>
    app.http.post(
      '/api/two-factor/challenge/verify',
      { token: 'a'.repeat(43), method: 'sms', code: '123456' },
      { headers: { 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' } },
    );

  it('should count each client address the proxy reports, and only the one it appended', async () => {
    const first: number[] = [];
    for (let i = 0; i < 11; i += 1) first.push((await verifyFrom('198.51.100.7')).status);
    expect(first).toEqual([...Array<number>(10).fill(400), 429]);
    // Another client behind the same proxy has its own budget.
    expect((await verifyFrom('198.51.100.8')).status).toBe(400);
    // A client that writes its own X-Forwarded-For gets the proxy's entry appended after it:
    // the spent address is still the one counted.
    const spoofed = await verifyFrom('203.0.113.99, 198.51.100.7');
    expect(spoofed.status).toBe(429);
    expect(errorCode(spoofed)).toBe('TOO_MANY_REQUESTS');
  });
});
