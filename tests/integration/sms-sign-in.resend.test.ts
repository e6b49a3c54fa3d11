import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, loginChallenge, travel, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const SEND = '/api/two-factor/challenge/send';
const VERIFY = '/api/two-factor/challenge/verify';

describe(`resending a code on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should refuse a resend within 30 seconds with RESEND_TOO_SOON and Retry-After', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 20);
    const early = await app.http.post(SEND, { token, method: 'sms' });
    expect(early.status).toBe(429);
    expect(errorCode(early)).toBe('RESEND_TOO_SOON');
    expect(early.headers.get('retry-after')).toBe('10');
  });

  it('should send a new code that replaces the old one after the cooldown', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code: oldCode } = await loginChallenge(app, user);
    travel(app, 30);
    const resend = await app.http.post<{ sentTo: string; expiresAt: string; resendAvailableAt: string }>(SEND, {
      token,
      method: 'sms',
    });
    expect(resend.status).toBe(200);
    expect(Object.keys(resend.body).sort()).toEqual(['expiresAt', 'resendAvailableAt', 'sentTo']);
    const newCode = await app.sms.lastCode(user.phone);
    if (newCode !== oldCode) {
      expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code: oldCode }))).toBe('INVALID_CODE');
    }
    expect((await app.http.post(VERIFY, { token, method: 'sms', code: newCode })).status).toBe(200);
  });

  it('should not reset the attempt budget on resend', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    for (let i = 0; i < 4; i += 1) await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) });
    travel(app, 30);
    expect((await app.http.post(SEND, { token, method: 'sms' })).status).toBe(200);
    const newCode = await app.sms.lastCode(user.phone);
    expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(newCode) }))).toBe(
      'INVALID_CODE',
    );
    expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code: newCode }))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should allow 5 sends per challenge, the first included, then SEND_LIMIT_REACHED', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    for (let send = 2; send <= 5; send += 1) {
      travel(app, 30);
      expect((await app.http.post(SEND, { token, method: 'sms' })).status).toBe(200);
    }
    travel(app, 30);
    const sixth = await app.http.post(SEND, { token, method: 'sms' });
    expect(sixth.status).toBe(429);
    expect(errorCode(sixth)).toBe('SEND_LIMIT_REACHED');
  });

  it('should let exactly one of 10 parallel resends through', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 30);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => app.http.post(SEND, { token, method: 'sms' })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => errorCode(r) === 'RESEND_TOO_SOON')).toHaveLength(9);
  });

  it('should answer SMS_DELIVERY_FAILED when Twilio fails, keep the old code, and allow a resend at once', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    travel(app, 30);
    app.twilio.failNext(20503, { api: 'messages' });
    const failed = await app.http.post(SEND, { token, method: 'sms' });
    expect(failed.status).toBe(400);
    expect(errorCode(failed)).toBe('SMS_DELIVERY_FAILED');
    const retried = await app.http.post(SEND, { token, method: 'sms' });
    expect(retried.status).toBe(200);
    const newCode = await app.sms.lastCode(user.phone);
    expect(
      newCode === code || (await app.http.post(VERIFY, { token, method: 'sms', code: newCode })).status === 200,
    ).toBe(true);
  });

  it('should map a Twilio rate limit to 429 SMS_RATE_LIMITED', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 30);
    app.twilio.failNext(20429, { api: 'messages' });
    const limited = await app.http.post(SEND, { token, method: 'sms' });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('SMS_RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
