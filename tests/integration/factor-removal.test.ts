import type { TwoFactorStatus } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import {
  enrolSms,
  errorCode,
  signUp,
  smsReauthentication,
  startLogin,
  uniquePhone,
  waitForSms,
} from '../support/twoFactor';

/** The contract's answer. */
type MeBody = TwoFactorStatus;

describe(`removing factors on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should refuse a removal without a fresh code', async () => {
    const user = await signUp(app);
    const { factorId } = await enrolSms(app, user.jwt);
    const noBody = await app.http.post(`/api/two-factor/factors/${factorId}/remove`, {}, { jwt: user.jwt });
    expect(errorCode(noBody)).toBe('INVALID_INPUT');
    const notSent = await app.http.post(
      `/api/two-factor/factors/${factorId}/remove`,
      { method: 'sms', code: '123456' },
      { jwt: user.jwt },
    );
    expect(errorCode(notSent)).toBe('CODE_NOT_SENT');
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors).toHaveLength(1);
  });

  it('should refuse a wrong step-up code', async () => {
    const user = await signUp(app);
    const { factorId, phone } = await enrolSms(app, user.jwt);
    expect((await app.http.post('/api/two-factor/step-up/send', { method: 'sms' }, { jwt: user.jwt })).status).toBe(
      200,
    );
    const code = await app.sms.lastCode(phone);
    const wrong = await app.http.post(
      `/api/two-factor/factors/${factorId}/remove`,
      { method: 'sms', code: code === '000000' ? '111111' : '000000' },
      { jwt: user.jwt },
    );
    expect(errorCode(wrong)).toBe('INVALID_CODE');
  });

  it('should remove the last factor with a fresh SMS code, notify the number, and turn two-step off', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    const { factorId } = await enrolSms(app, user.jwt, phone);
    await app.http.post('/api/two-factor/step-up/send', { method: 'sms' }, { jwt: user.jwt });
    const code = await app.sms.lastCode(phone);
    const removed = await app.http.post<MeBody>(
      `/api/two-factor/factors/${factorId}/remove`,
      { method: 'sms', code },
      { jwt: user.jwt },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body).toMatchObject({ enabled: false, factors: [], recoveryCodesRemaining: 0 });

    const sent = (await app.sms.messages(phone)).length;
    await waitForSms(app, phone, sent);
    expect((await app.sms.last(phone)).body).toMatch(/^Example: a phone number was removed\./);

    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    expect(login.body.jwt).toEqual(expect.any(String));
  });

  it('should remove one of two factors with a TOTP code and keep two-step on with the other', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    const sms = await enrolSms(app, user.jwt, phone);
    const { secret } = await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, phone));
    moveToMidStep(app);
    const removed = await app.http.post<MeBody>(
      `/api/two-factor/factors/${sms.factorId}/remove`,
      { method: 'totp', code: authenticatorCode(secret, pluginStep(app)) },
      { jwt: user.jwt },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.enabled).toBe(true);
    expect(removed.body.factors.map((f) => f.type)).toEqual(['totp']);
    expect(removed.body.recoveryCodesRemaining).toBe(10);
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge.methods).toEqual(['totp', 'recovery_code']);
  });

  it("should answer NOT_FOUND for another user's factor", async () => {
    const owner = await signUp(app);
    const { factorId } = await enrolSms(app, owner.jwt);
    const other = await signUp(app);
    const response = await app.http.post(
      `/api/two-factor/factors/${factorId}/remove`,
      { method: 'totp', code: '123456' },
      { jwt: other.jwt },
    );
    expect(response.status).toBe(404);
  });
});
