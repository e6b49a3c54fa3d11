import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { errorCode, loginChallenge, startLogin, travel, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`challenge attempts, single use and expiry on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should judge exactly 5 of 50 parallel wrong codes, refuse the rest, and then refuse the right code', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) })),
    );
    const codes = responses.map(errorCode);
    expect(codes.filter((c) => c === 'INVALID_CODE')).toHaveLength(5);
    expect(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(45);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(45);
    const right = await app.http.post(VERIFY, { token, method: 'sms', code });
    expect(right.status).toBe(429);
    expect(errorCode(right)).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should give tokens to exactly one of 10 parallel requests with the right code', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => app.http.post<StrapiLoginBody>(VERIFY, { token, method: 'sms', code })),
    );
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.body.jwt).toEqual(expect.any(String));
    for (const loser of responses.filter((r) => r.status !== 200)) {
      expect(['CHALLENGE_USED', 'TOO_MANY_ATTEMPTS']).toContain(errorCode(loser));
      expect(JSON.stringify(loser.body)).not.toContain('jwt');
    }
  });

  it('should count down attemptsRemaining on each wrong code', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const first = await app.http.post<{ error: { details: { attemptsRemaining: number } } }>(VERIFY, {
      token,
      method: 'sms',
      code: wrongCode(code),
    });
    expect(first.body.error.details.attemptsRemaining).toBe(4);
    const passed = await app.http.post(VERIFY, { token, method: 'sms', code });
    expect(passed.status).toBe(200);
  });

  it('should refuse a used challenge with CHALLENGE_USED', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    expect((await app.http.post(VERIFY, { token, method: 'sms', code })).status).toBe(200);
    const again = await app.http.post(VERIFY, { token, method: 'sms', code });
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe('CHALLENGE_USED');
  });

  it('should refuse a code older than 5 minutes with CODE_EXPIRED', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    travel(app, 299);
    const stillValid = await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) });
    expect(errorCode(stillValid)).toBe('INVALID_CODE');
    travel(app, 2);
    const expired = await app.http.post(VERIFY, { token, method: 'sms', code });
    expect(expired.status).toBe(400);
    expect(errorCode(expired)).toBe('CODE_EXPIRED');
  });

  it('should refuse a challenge older than 10 minutes with CHALLENGE_EXPIRED', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    travel(app, 601);
    const expired = await app.http.post(VERIFY, { token, method: 'sms', code });
    expect(expired.status).toBe(400);
    expect(errorCode(expired)).toBe('CHALLENGE_EXPIRED');
  });

  it('should refuse the code of another challenge with INVALID_CODE', async () => {
    const user = await userWithSmsFactor(app);
    const first = await loginChallenge(app, user);
    const second = await loginChallenge(app, user);
    const crossed = await app.http.post(VERIFY, { token: second.token, method: 'sms', code: first.code });
    // A 1-in-a-million collision of two random codes would make this flaky; skip that case.
    if (first.code !== second.code) expect(errorCode(crossed)).toBe('INVALID_CODE');
    expect((await app.http.post(VERIFY, { token: second.token, method: 'sms', code: second.code })).status).toBe(200);
  });

  it('should refuse a method the user does not have with METHOD_NOT_AVAILABLE', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    const totp = await app.http.post(VERIFY, { token, method: 'totp', code: '123456' });
    expect(errorCode(totp)).toBe('METHOD_NOT_AVAILABLE');
  });

  describe('lock-out', () => {
    it('should lock the account after 10 consecutive failures across challenges, with Retry-After', async () => {
      const user = await userWithSmsFactor(app);
      const first = await loginChallenge(app, user);
      for (let i = 0; i < 5; i += 1) {
        expect(
          errorCode(await app.http.post(VERIFY, { token: first.token, method: 'sms', code: wrongCode(first.code) })),
        ).toBe('INVALID_CODE');
      }
      const second = await loginChallenge(app, user);
      for (let i = 0; i < 4; i += 1) {
        expect(
          errorCode(await app.http.post(VERIFY, { token: second.token, method: 'sms', code: wrongCode(second.code) })),
        ).toBe('INVALID_CODE');
      }
      const tenth = await app.http.post(VERIFY, { token: second.token, method: 'sms', code: wrongCode(second.code) });
      expect(tenth.status).toBe(429);
      expect(errorCode(tenth)).toBe('ACCOUNT_LOCKED');
      expect(tenth.headers.get('retry-after')).toBe('900');

      const step1 = await startLogin(app, user);
      expect(step1.status).toBe(429);
      expect(errorCode(step1)).toBe('ACCOUNT_LOCKED');
      expect(Number(step1.headers.get('retry-after'))).toBeGreaterThan(890);

      travel(app, 15 * 60 + 1);
      const after = await loginChallenge(app, user);
      expect((await app.http.post(VERIFY, { token: after.token, method: 'sms', code: after.code })).status).toBe(200);
    });

    it('should reset the count after a success', async () => {
      const user = await userWithSmsFactor(app);
      const fail = async (times: number): Promise<void> => {
        const { token, code } = await loginChallenge(app, user);
        for (let i = 0; i < times; i += 1) {
          expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) }))).toBe(
            'INVALID_CODE',
          );
        }
      };
      await fail(5);
      await fail(4);
      const success = await loginChallenge(app, user);
      expect((await app.http.post(VERIFY, { token: success.token, method: 'sms', code: success.code })).status).toBe(
        200,
      );
      await fail(5);
      await fail(4);
      expect((await startLogin(app, user)).status).toBe(200);
    });
  });
});
