import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  graphql,
  graphqlErrorCode,
  graphqlSmsChallenge,
  graphqlVerify,
  type LoginResult,
  TWO_FACTOR_LOGIN,
  TWO_FACTOR_SEND_CODE,
  type VerifyAnswer,
} from '../support/graphql';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { errorCode, loginChallenge, signUp, travel, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`GraphQL challenges: REST interplay, caps and races on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const verify = (input: Record<string, unknown>): Promise<VerifyAnswer> => graphqlVerify(app, input);

  it('should finish over GraphQL a challenge opened over REST', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const verified = await verify({ token, method: 'sms', code });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.user.username).toBe(user.username);
  });

  it('should finish over REST a challenge opened over GraphQL', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    const verified = await app.http.post<StrapiLoginBody>(VERIFY, { token, method: 'sms', code });
    expect(verified.status).toBe(200);
    expect(verified.body.user.username).toBe(user.username);
  });

  it('should judge exactly 5 of 50 parallel wrong codes, refuse the rest with TOO_MANY_ATTEMPTS, then the right code', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => verify({ token, method: 'sms', code: wrongCode(code) })),
    );
    const codes = answers.map(graphqlErrorCode);
    expect(codes.filter((c) => c === 'INVALID_CODE')).toHaveLength(5);
    expect(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(45);
    expect(answers.every((answer) => answer.data === null)).toBe(true);
    const right = await verify({ token, method: 'sms', code });
    expect(graphqlErrorCode(right)).toBe('TOO_MANY_ATTEMPTS');
    expect(right.data).toBeNull();
  });

  it('should share the 5-attempt cap between REST and GraphQL under parallel load', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const body = { token, method: 'sms', code: wrongCode(code) };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0 ? verify(body).then(graphqlErrorCode) : app.http.post(VERIFY, body).then(errorCode),
      ),
    );
    expect(answers.filter((c) => c === 'INVALID_CODE')).toHaveLength(5);
    expect(answers.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(35);
  });

  it('should judge only the first of 20 wrong codes aliased in one GraphQL document', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    const fields = Array.from(
      { length: 20 },
      (_, i) => `a${i}: twoFactorVerify(input: { token: $token, method: "sms", code: $code }) { jwt }`,
    ).join('\n');
    const answer = await graphql(app, `mutation Many($token: String!, $code: String!) {\n${fields}\n}`, {
      token,
      code: wrongCode(code),
    });
    // Mutations run one after the other and each result is non-null: the first refusal ends
    // the document, so batching buys no extra guesses.
    expect(answer.data).toBeNull();
    expect(answer.errors.map((error) => error.extensions?.error?.details?.code)).toEqual(['INVALID_CODE']);
    const next = await app.http.post<{ error: { details: { attemptsRemaining: number } } }>(VERIFY, {
      token,
      method: 'sms',
      code: wrongCode(code),
    });
    expect(next.body.error.details.attemptsRemaining).toBe(3);
  });

  it('should give a jwt to exactly one of 10 parallel requests with the right code', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify({ token, method: 'sms', code })));
    const winners = answers.filter((answer) => answer.errors.length === 0);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.data?.twoFactorVerify.jwt).toEqual(expect.any(String));
    for (const loser of answers.filter((answer) => answer.errors.length > 0)) {
      expect(['CHALLENGE_USED', 'TOO_MANY_ATTEMPTS']).toContain(graphqlErrorCode(loser));
      expect(loser.data).toBeNull();
    }
  });

  it('should refuse a used challenge with CHALLENGE_USED', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    expect((await verify({ token, method: 'sms', code })).errors).toEqual([]);
    const again = await verify({ token, method: 'sms', code });
    expect(graphqlErrorCode(again)).toBe('CHALLENGE_USED');
    expect(graphqlErrorCode(await graphql(app, TWO_FACTOR_SEND_CODE, { input: { token, method: 'sms' } }))).toBe(
      'CHALLENGE_USED',
    );
  });

  it('should refuse an expired code with CODE_EXPIRED and an expired challenge with CHALLENGE_EXPIRED', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await graphqlSmsChallenge(app, user);
    travel(app, 5 * 60 + 1);
    expect(graphqlErrorCode(await verify({ token, method: 'sms', code }))).toBe('CODE_EXPIRED');
    travel(app, 5 * 60);
    expect(graphqlErrorCode(await verify({ token, method: 'sms', code }))).toBe('CHALLENGE_EXPIRED');
  });

  it("should refuse another challenge's code with INVALID_CODE and a token of another kind as REST does", async () => {
    const user = await userWithSmsFactor(app);
    const other = await userWithSmsFactor(app);
    const mine = await graphqlSmsChallenge(app, user);
    const theirs = await graphqlSmsChallenge(app, other);
    if (mine.code !== theirs.code) {
      expect(graphqlErrorCode(await verify({ token: mine.token, method: 'sms', code: theirs.code }))).toBe(
        'INVALID_CODE',
      );
    }
    // An enrolment-only token is no login challenge: the same refusal as REST's.
    const newcomer = await signUp(app);
    const settings = app.strapi.plugin('two-factor').service('settings');
    const policy = settings.policy();
    await settings.updatePolicy({ ...policy, requiredRoles: ['authenticated'] }, 'test');
    try {
      const login = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
        input: { identifier: newcomer.username, password: newcomer.password },
      });
      expect(login.data?.twoFactorLogin.__typename).toBe('TwoFactorEnrollment');
      const enrolmentToken = login.data?.twoFactorLogin.token ?? '';
      const rest = await app.http.post(VERIFY, { token: enrolmentToken, method: 'sms', code: '123456' });
      const ours = await verify({ token: enrolmentToken, method: 'sms', code: '123456' });
      expect(errorCode(rest)).toEqual(expect.any(String));
      expect(graphqlErrorCode(ours)).toBe(errorCode(rest));
    } finally {
      await settings.updatePolicy(policy, 'test');
    }
    expect(graphqlErrorCode(await verify({ token: 'x'.repeat(43), method: 'sms', code: '123456' }))).toBe(
      errorCode(await app.http.post(VERIFY, { token: 'x'.repeat(43), method: 'sms', code: '123456' })),
    );
  });

  it('should lock the account after 10 consecutive failures across challenges', async () => {
    const user = await userWithSmsFactor(app);
    const first = await graphqlSmsChallenge(app, user);
    for (let i = 0; i < 5; i += 1) {
      expect(graphqlErrorCode(await verify({ token: first.token, method: 'sms', code: wrongCode(first.code) }))).toBe(
        'INVALID_CODE',
      );
    }
    const second = await graphqlSmsChallenge(app, user);
    for (let i = 0; i < 4; i += 1) {
      expect(graphqlErrorCode(await verify({ token: second.token, method: 'sms', code: wrongCode(second.code) }))).toBe(
        'INVALID_CODE',
      );
    }
    const tenth = await verify({ token: second.token, method: 'sms', code: wrongCode(second.code) });
    expect(graphqlErrorCode(tenth)).toBe('ACCOUNT_LOCKED');
    expect(tenth.errors[0]?.extensions?.error?.details?.retryAfterSeconds).toBe(900);
    const step1 = await graphql(app, TWO_FACTOR_LOGIN, {
      input: { identifier: user.username, password: user.password },
    });
    expect(graphqlErrorCode(step1)).toBe('ACCOUNT_LOCKED');
    expect(step1.data).toBeNull();
  });
});

describe(`GraphQL per-IP request limit on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_MAX_REQUESTS_PER_IP_PER_MINUTE: '30' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should count each GraphQL operation against the per-IP limit REST routes share', async () => {
    const token = 'x'.repeat(43);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => graphql(app, TWO_FACTOR_SEND_CODE, { input: { token, method: 'sms' } })),
    );
    const codes = answers.map(graphqlErrorCode);
    expect(codes.filter((c) => c === 'INVALID_CHALLENGE')).toHaveLength(30);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(10);
    // REST draws on the same budget: spent.
    const rest = await app.http.post('/api/two-factor/challenge/send', { token, method: 'sms' });
    expect(rest.status).toBe(429);
    expect(errorCode(rest)).toBe('TOO_MANY_REQUESTS');
  });
});
