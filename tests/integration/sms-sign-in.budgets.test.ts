import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import {
  type ChallengeBody,
  type EnrolledUser,
  enrolSms,
  errorCode,
  signUp,
  smsReauthentication,
  startLogin,
  uniquePhone,
  waitForSms,
} from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`SMS budgets that never stop the owner's sign-in on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** A user whose only factor is SMS, with the recovery codes its activation showed. */
  async function smsOnlyUser(): Promise<EnrolledUser & { recoveryCodes: string[] }> {
    const user = await signUp(app);
    const phone = uniquePhone();
    const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const activate = await app.http.post<{ recoveryCodes: string[] }>(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code: await app.sms.lastCode(phone) },
      { jwt: user.jwt },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    return { ...user, phone, recoveryCodes: activate.body.recoveryCodes };
  }

  /** Step 1 must answer a challenge whose SMS reaches the phone, and its code must sign in. */
  async function expectOwnerSignsInBySms(user: EnrolledUser): Promise<void> {
    await waitForSms(app, user.phone, 0);
    const before = (await app.sms.messages(user.phone)).length;
    const step1 = await startLogin(app, user);
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    expect(step1.body.challenge).toMatchObject({ method: 'sms', sentTo: expect.any(String) });
    await waitForSms(app, user.phone, before + 1);
    const verify = await app.http.post<StrapiLoginBody>(VERIFY, {
      token: step1.body.challenge.token,
      method: 'sms',
      code: await app.sms.lastCode(user.phone),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.jwt).toEqual(expect.any(String));
  }

  it("should keep the owner's SMS sign-in when phone/login spent the number's hourly budget", async () => {
    const user = await smsOnlyUser();
    for (let i = 0; i < 10; i += 1) {
      expect((await app.http.post('/api/two-factor/phone/login', { phone: user.phone })).status).toBe(200);
    }
    const spent = await app.http.post('/api/two-factor/phone/login', { phone: user.phone });
    expect(spent.status).toBe(429);
    expect(errorCode(spent)).toBe('SMS_BUDGET_EXCEEDED');
    // phone/resend draws on that same spent budget, not on the owner's.
    const resend = await app.http.post('/api/two-factor/phone/resend', { phone: user.phone });
    expect(errorCode(resend)).toBe('SMS_BUDGET_EXCEEDED');

    await expectOwnerSignsInBySms(user);
  });

  it("should charge phone/resend to the number's phone-only budget, never to the owner's", async () => {
    const user = await smsOnlyUser();
    expect((await app.http.post('/api/two-factor/phone/resend', { phone: user.phone })).status).toBe(200);
    for (let i = 0; i < 9; i += 1) {
      expect((await app.http.post('/api/two-factor/phone/login', { phone: user.phone })).status).toBe(200);
    }
    // The resend took the tenth send of the phone-only budget.
    expect(errorCode(await app.http.post('/api/two-factor/phone/login', { phone: user.phone }))).toBe(
      'SMS_BUDGET_EXCEEDED',
    );

    await expectOwnerSignsInBySms(user);
  });

  it("should still answer step 1 with the challenge, sms listed with when it can be sent, once the owner's budget is spent", async () => {
    const user = await smsOnlyUser(); // the set-up code is the first of the number's 10
    for (let i = 0; i < 9; i += 1) {
      const step1 = await startLogin(app, user);
      expect(step1.body.challenge.sentTo, JSON.stringify(step1.body)).toEqual(expect.any(String));
    }
    await waitForSms(app, user.phone, 10);
    const sent = (await app.sms.messages(user.phone)).length;

    const step1 = await startLogin(app, user);
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    expect(step1.body.mfaRequired).toBe(true);
    expect(step1.body.challenge.methods).toEqual(['sms', 'recovery_code']);
    expect(step1.body.challenge.method).toBe('sms');
    expect(step1.body.challenge.sentTo).toBeUndefined();
    // The budget's hour started with the set-up code, moments ago.
    const waitSeconds = (Date.parse(step1.body.challenge.resendAvailableAt ?? '') - Date.now()) / 1000;
    expect(waitSeconds).toBeGreaterThan(3000);
    expect(waitSeconds).toBeLessThanOrEqual(3601);
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(user.phone)).toHaveLength(sent);

    const verify = await app.http.post<StrapiLoginBody>(VERIFY, {
      token: step1.body.challenge.token,
      method: 'recovery_code',
      code: user.recoveryCodes[0],
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.jwt).toEqual(expect.any(String));
  });

  describe('the method step 1 starts with', () => {
    it('should start with the authenticator app, sending no SMS, for a user with an app and a phone', async () => {
      // The phone first: the app is not the first factor, so only its strength can pick it.
      const user = await signUp(app);
      const { phone } = await enrolSms(app, user.jwt);
      const { secret } = await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, phone));
      await app.strapi.plugin('two-factor').service('sms').drain();
      const sent = (await app.sms.messages(phone)).length;

      const step1 = await startLogin(app, user);
      expect(step1.status, JSON.stringify(step1.body)).toBe(200);
      expect(step1.body.challenge.method).toBe('totp');
      expect(step1.body.challenge.methods).toEqual(expect.arrayContaining(['sms', 'totp', 'recovery_code']));
      expect(step1.body.challenge.methods.at(-1)).toBe('recovery_code');
      expect(step1.body.challenge.sentTo).toBeUndefined();
      await app.strapi.plugin('two-factor').service('sms').drain();
      expect(await app.sms.messages(phone)).toHaveLength(sent);

      const verify = await app.http.post(VERIFY, {
        token: step1.body.challenge.token,
        method: 'totp',
        code: authenticatorCode(secret, pluginStep(app)),
      });
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    });

    it('should start with the method the user signed in with last time', async () => {
      const user = await signUp(app);
      const { phone } = await enrolSms(app, user.jwt);
      await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, phone));
      const first = await startLogin(app, user);
      expect(first.body.challenge.method).toBe('totp');
      // The user asks for an SMS instead and signs in with it.
      const send = await app.http.post('/api/two-factor/challenge/send', {
        token: first.body.challenge.token,
        method: 'sms',
      });
      expect(send.status, JSON.stringify(send.body)).toBe(200);
      const verify = await app.http.post(VERIFY, {
        token: first.body.challenge.token,
        method: 'sms',
        code: await app.sms.lastCode(phone),
      });
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);

      const next = await app.http.post<ChallengeBody>('/api/auth/local', {
        identifier: user.username,
        password: user.password,
      });
      expect(next.body.challenge).toMatchObject({ method: 'sms', sentTo: expect.any(String) });
    });
  });
});

describe(`a refused SMS charges no budget on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_MAX_SMS_PER_HOUR: '12' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("should not charge the global hourly budget for a send the number's budget refused", async () => {
    const drained = uniquePhone();
    for (let i = 0; i < 10; i += 1) {
      expect((await app.http.post('/api/two-factor/phone/login', { phone: drained })).status).toBe(200);
    }
    for (let i = 0; i < 3; i += 1) {
      const refused = await app.http.post('/api/two-factor/phone/login', { phone: drained });
      expect(errorCode(refused)).toBe('SMS_BUDGET_EXCEEDED');
    }
    // 10 of the global 12 are spent: two more numbers get their SMS, the third does not.
    expect((await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() })).status).toBe(200);
    expect((await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() })).status).toBe(200);
    expect(errorCode(await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() }))).toBe(
      'SMS_BUDGET_EXCEEDED',
    );
  });
});
