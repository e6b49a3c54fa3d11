import { randomBytes } from 'node:crypto';
import {
  databaseUnderTest,
  type ExampleApp,
  type ExampleAppProcess,
  type HttpClient,
  type HttpResponse,
  startExampleApp,
  startExampleAppProcess,
} from '@strapi-two-factor/test-utils';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { authenticatorCode } from '../support/totp';
import type { TotpSetupBody } from '../support/totpEnrolment';
import {
  type ChallengeBody,
  type EnrolledUser,
  errorCode,
  signUp,
  userWithSmsFactor,
  wrongCode,
} from '../support/twoFactor';
import { cookieHeader, type NewUser } from '../support/users';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const VERIFY = '/api/two-factor/challenge/verify';
const CHALLENGE_UID = 'plugin::two-factor.challenge';
const STEP_MILLISECONDS = 30_000;

interface Instance {
  http: HttpClient;
}

function signIn(instance: Instance, user: NewUser, identifier = user.username): Promise<HttpResponse<ChallengeBody>> {
  return instance.http.post<ChallengeBody>('/api/auth/local', { identifier, password: user.password });
}

/** The TOTP step of the real clock: instance B's plugin clock is its own, never moved. */
function realStep(): number {
  return Math.floor(Date.now() / STEP_MILLISECONDS);
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

// Instance A runs in this process, instance B in a child process on A's database, A's
// Twilio server and one Redis key prefix: two instances of one deployment.
describe.runIf(databaseUnderTest() === 'postgres')('two instances on one PostgreSQL database and one Redis', () => {
  const prefix = `two-factor-test-${randomBytes(6).toString('hex')}`;
  const sharedEnv = {
    TWO_FACTOR_REDIS_URL: REDIS_URL,
    TWO_FACTOR_REDIS_KEY_PREFIX: prefix,
    TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '4',
  };
  let a: ExampleApp;
  let b: ExampleAppProcess;

  beforeAll(async () => {
    a = await startExampleApp({ database: 'postgres', env: sharedEnv });
    b = await startExampleAppProcess({ databaseEnv: a.database.env, twilioUrl: a.twilio.url, env: sharedEnv });
    // The plugin connects to Redis on an instance's first limited request and counts in
    // memory until the connection is ready: wait until each instance counts in Redis.
    await untilCountingInRedis(a);
    await untilCountingInRedis(b);
  });

  afterAll(async () => {
    // B first: dropping the database ends its connections.
    try {
      await b?.stop();
    } finally {
      await a?.stop();
      const redis = new Redis(REDIS_URL);
      try {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    }
  });

  async function untilCountingInRedis(instance: Instance): Promise<void> {
    const redis = new Redis(REDIS_URL);
    try {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const identifier = `warm-up.${randomBytes(4).toString('hex')}@example.test`;
        await instance.http.post('/api/auth/local', { identifier, password: 'Wrong-passw0rd' });
        // Keyed on the account and the client's address.
        if ((await redis.keys(`${prefix}:sign-in-account:${identifier}:*`)).length === 1) return;
        if (Date.now() > deadline) throw new Error(`${instance.http.baseUrl} never counted in Redis`);
        await sleep(50);
      }
    } finally {
      redis.disconnect();
    }
  }

  /** Resolves once more than `before` SMS reached `phone`: A drains its queue, B is polled. */
  async function waitForNextSms(instance: Instance, phone: string, before: number): Promise<void> {
    if (instance === a) await a.strapi.plugin('two-factor').service('sms').drain();
    const deadline = Date.now() + 2_000;
    while ((await a.sms.messages(phone)).length <= before) {
      if (Date.now() > deadline) throw new Error(`No new SMS reached ${phone} within 2 s`);
      await sleep(50);
    }
  }

  /** Step 1 on `instance`; returns the challenge token and the code its SMS carried. */
  async function openChallenge(instance: Instance, user: EnrolledUser): Promise<{ token: string; code: string }> {
    const before = (await a.sms.messages(user.phone)).length;
    const step1 = await signIn(instance, user);
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    expect(step1.body.challenge.method).toBe('sms');
    await waitForNextSms(instance, user.phone, before);
    return { token: step1.body.challenge.token, code: await a.sms.lastCode(user.phone) };
  }

  it('should verify on B a challenge opened on A and give tokens that work on both', async () => {
    const user = await userWithSmsFactor(a);
    const { token, code } = await openChallenge(a, user);

    const verify = await b.http.post<StrapiLoginBody>(VERIFY, { token, method: 'sms', code });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);

    for (const instance of [a, b]) {
      const me = await instance.http.get<StrapiUser>('/api/users/me', { jwt: verify.body.jwt });
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect(me.body.id).toBe(user.id);
    }
    // The session B opened refreshes on A.
    const refresh = await a.http.post<StrapiLoginBody>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(verify.setCookies) },
    );
    expect(refresh.status, JSON.stringify(refresh.body)).toBe(200);
    expect((await b.http.get('/api/users/me', { jwt: refresh.body.jwt })).status).toBe(200);
  });

  it('should judge at most 5 codes per challenge and lock the account at 10 failures across both instances', async () => {
    const user = await userWithSmsFactor(a);
    const challenges = [await openChallenge(a, user), await openChallenge(b, user), await openChallenge(a, user)];

    // 20 wrong codes at each challenge, all at once, alternating A and B.
    const attempts = challenges.flatMap((challenge, index) =>
      Array.from({ length: 20 }, (_, i) => ({ index, instance: (i + index) % 2 === 0 ? a : b, challenge })),
    );
    const responses = await Promise.all(
      attempts.map(async ({ index, instance, challenge }) => ({
        index,
        response: await instance.http.post(VERIFY, {
          token: challenge.token,
          method: 'sms',
          code: wrongCode(challenge.code),
        }),
      })),
    );

    const described = responses.map(({ index, response }) => ({
      index,
      status: response.status,
      code: errorCode(response),
    }));
    expect(described.filter((r) => r.status >= 500)).toEqual([]);
    for (const { status, code } of described) {
      if (code === 'INVALID_CODE') expect(status).toBe(400);
      else if (code === 'TOO_MANY_ATTEMPTS' || code === 'ACCOUNT_LOCKED') expect(status).toBe(429);
      else expect.fail(`unexpected answer ${status} ${String(code)}`);
    }
    // Answers per challenge, e.g. { '0:INVALID_CODE': 5, '0:TOO_MANY_ATTEMPTS': 15, … }.
    const tally: Record<string, number> = {};
    for (const { index, code } of described)
      tally[`${index}:${String(code)}`] = (tally[`${index}:${String(code)}`] ?? 0) + 1;
    const invalid = described.filter((r) => r.code === 'INVALID_CODE');
    expect(invalid.length, `wrong codes judged before the lock: ${JSON.stringify(tally)}`).toBeLessThanOrEqual(10);
    for (const index of [0, 1, 2]) expect(invalid.filter((r) => r.index === index).length).toBeLessThanOrEqual(5);
    expect(described.some((r) => r.code === 'ACCOUNT_LOCKED')).toBe(true);

    const rows = (await a.strapi.db.query(CHALLENGE_UID).findMany({
      where: { userId: user.id, purpose: 'login' },
    })) as { attempts: number }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.attempts).toBeLessThanOrEqual(5);

    // Locked on both: the username on A, the email on B (each identifier has its own
    // sign-in budget of 4 a minute, and the username already spent 3).
    for (const [instance, identifier] of [
      [a, user.username],
      [b, user.email],
    ] as const) {
      const step1 = await signIn(instance, user, identifier);
      expect(step1.status, JSON.stringify(step1.body)).toBe(429);
      expect(errorCode(step1)).toBe('ACCOUNT_LOCKED');
    }
  });

  it('should never leave locked the account a parallel race just signed in (5 rounds)', async () => {
    for (let round = 1; round <= 5; round += 1) {
      const user = await signUp(a);
      // Enrolled at the real clock's step (±1 accepted): neither instance's clock is moved.
      const setup = await a.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
      const activate = await a.http.post<{ recoveryCodes: string[] }>(
        '/api/two-factor/totp/activate',
        { factorId: setup.body.factorId, code: authenticatorCode(setup.body.secret, realStep()) },
        { jwt: user.jwt },
      );
      expect(activate.status, JSON.stringify(activate.body)).toBe(200);
      const recoveryCode = activate.body.recoveryCodes[0] ?? '';
      const open = async (): Promise<string> => {
        const { token } = (await a.strapi
          .plugin('two-factor')
          .service('challenges')
          .create({ purpose: 'login', userId: user.id, method: 'totp' })) as { token: string };
        return token;
      };
      // One failure first, then one valid recovery code at 10 challenges at once.
      const wrong = await b.http.post(VERIFY, { token: await open(), method: 'recovery_code', code: 'ZZZZZ-ZZZZZ' });
      expect(errorCode(wrong)).toBe('INVALID_CODE');
      const tokens = await Promise.all(Array.from({ length: 10 }, open));
      const responses = await Promise.all(
        tokens.map((token, i) =>
          (i % 2 === 0 ? a : b).http.post(VERIFY, { token, method: 'recovery_code', code: recoveryCode }),
        ),
      );
      const answers = responses.map((r) => (r.status === 200 ? 'token' : String(errorCode(r))));
      const tally = JSON.stringify(answers);
      expect(
        answers.filter((x) => x === 'token'),
        `round ${round}: ${tally}`,
      ).toHaveLength(1);
      for (const answer of answers) expect(['token', 'INVALID_CODE', 'ACCOUNT_LOCKED'], tally).toContain(answer);
      // No serial order of these 10 failures and 1 success gives both a token and a lock.
      const state = (await a.strapi.db
        .query('plugin::two-factor.account-state')
        .findOne({ where: { userId: user.id } })) as { lockedUntil: string | null } | null;
      expect(state?.lockedUntil ?? null, `round ${round}: ${tally}`).toBeNull();
      const step1 = await signIn(a, user);
      expect(step1.status, `round ${round}: ${JSON.stringify(step1.body)}`).toBe(200);
    }
  });

  it('should refuse on B the authenticator code a sign-in on A accepted', async () => {
    /**
     * Enrols an authenticator app on A with the previous step's code, signs in on A with
     * the current one, then tries it on B. Real time throughout: B does not share A's
     * plugin clock, so A's is not moved.
     */
    async function signInOnAThenB() {
      const user = await signUp(a);
      const setup = await a.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
      expect(setup.status, JSON.stringify(setup.body)).toBe(200);
      // Not in the last 3 seconds of a step, so the requests below see the same one.
      const left = STEP_MILLISECONDS - (Date.now() % STEP_MILLISECONDS);
      if (left < 3_000) await sleep(left + 100);
      const step = realStep();
      const activate = await a.http.post(
        '/api/two-factor/totp/activate',
        { factorId: setup.body.factorId, code: authenticatorCode(setup.body.secret, step - 1) },
        { jwt: user.jwt },
      );
      const code = authenticatorCode(setup.body.secret, step);
      const results: HttpResponse[] = [];
      for (const instance of [a, b]) {
        const step1 = await signIn(instance, user);
        expect(step1.status, JSON.stringify(step1.body)).toBe(200);
        expect(step1.body.challenge.method).toBe('totp');
        results.push(await instance.http.post(VERIFY, { token: step1.body.challenge.token, method: 'totp', code }));
      }
      return { activate, onA: results[0], onB: results[1], rolledOver: realStep() !== step };
    }

    let result = await signInOnAThenB();
    if (result.rolledOver) result = await signInOnAThenB();
    expect(result.activate.status, JSON.stringify(result.activate.body)).toBe(200);
    expect(result.onA?.status, JSON.stringify(result.onA?.body)).toBe(200);
    expect(result.onB?.status, JSON.stringify(result.onB?.body)).toBe(400);
    expect(errorCode(result.onB as HttpResponse)).toBe('INVALID_CODE');
  });

  it('should share the sign-in limit per account between instances through Redis', async () => {
    const identifier = `limited.${randomBytes(4).toString('hex')}@example.test`;
    const attempt = (instance: Instance) =>
      instance.http.post('/api/auth/local', { identifier, password: 'Wrong-passw0rd' });
    const statuses = [];
    for (const instance of [a, a, b, b]) statuses.push((await attempt(instance)).status);
    expect(statuses).toEqual([400, 400, 400, 400]);
    for (const instance of [a, b]) {
      const fifth = await attempt(instance);
      expect(fifth.status).toBe(429);
      expect(errorCode(fifth)).toBe('TOO_MANY_REQUESTS');
      expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
