import type { TwoFactorStatus } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp, type TotpSetupBody } from '../support/totpEnrolment';
import {
  enrolSms,
  errorCode,
  signUp,
  smsReauthentication,
  uniquePhone,
  userWithSmsFactor,
  waitForSms,
  wrongCode,
} from '../support/twoFactor';

/** The contract's answer. */
type MeBody = TwoFactorStatus;

describe(`adding a factor next to an active one on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();
  const factorRows = (userId: number) =>
    app.strapi.db.query('plugin::two-factor.factor').findMany({ where: { userId } }) as Promise<
      { type: string; status: string }[]
    >;

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  it('should refuse totp/setup without a code for a user with an active SMS factor and write nothing', async () => {
    const user = await userWithSmsFactor(app);
    const setup = await app.http.post('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
    expect(setup.status).toBe(400);
    expect(errorCode(setup)).toBe('REAUTHENTICATION_REQUIRED');
    expect((setup.body as { error: { details: { methods: string[] } } }).error.details.methods).toEqual([
      'sms',
      'recovery_code',
    ]);
    expect((await factorRows(user.id)).map((f) => `${f.type}:${f.status}`)).toEqual(['sms:active']);
  });

  it('should refuse sms/setup and email/setup without a code for a user with an active factor', async () => {
    const user = await userWithSmsFactor(app);
    const sms = await app.http.post('/api/two-factor/sms/setup', { phone: uniquePhone() }, { jwt: user.jwt });
    expect(errorCode(sms)).toBe('REAUTHENTICATION_REQUIRED');
    const email = await app.http.post('/api/two-factor/email/setup', {}, { jwt: user.jwt });
    expect(errorCode(email)).toBe('REAUTHENTICATION_REQUIRED');
    expect(smtp.messages(user.email)).toHaveLength(0);
    expect(await factorRows(user.id)).toHaveLength(1);
  });

  it('should add an authenticator app with a fresh SMS code from step-up/send', async () => {
    const user = await userWithSmsFactor(app);
    const { factorId } = await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, user.phone));
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors.map((f) => f.type)).toEqual(['sms', 'totp']);
    expect(me.body.factors[1]?.id).toBe(factorId);
  });

  it('should refuse a wrong SMS code, count it as a failure and add nothing', async () => {
    const user = await userWithSmsFactor(app);
    const { code } = await smsReauthentication(app, user.jwt, user.phone);
    const setup = await app.http.post(
      '/api/two-factor/totp/setup',
      { method: 'sms', code: wrongCode(code) },
      { jwt: user.jwt },
    );
    expect(errorCode(setup)).toBe('INVALID_CODE');
    const failures = await app.strapi.db
      .query('plugin::two-factor.event')
      .count({ where: { userId: user.id, type: 'sign-in.failed' } });
    expect(failures).toBe(1);
    expect((await factorRows(user.id)).map((f) => f.type)).toEqual(['sms']);
    // The right code still works afterwards: a wrong one spends an attempt, not the code.
    const retry = await app.http.post<TotpSetupBody>(
      '/api/two-factor/totp/setup',
      { method: 'sms', code },
      { jwt: user.jwt },
    );
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
  });

  it('should refuse an SMS code that step-up/send never sent with CODE_NOT_SENT', async () => {
    const user = await userWithSmsFactor(app);
    const setup = await app.http.post(
      '/api/two-factor/totp/setup',
      { method: 'sms', code: '123456' },
      { jwt: user.jwt },
    );
    expect(errorCode(setup)).toBe('CODE_NOT_SENT');
  });

  it('should accept a fresh email code for re-authentication', async () => {
    const user = await signUp(app);
    const emailSetup = await app.http.post<{ factorId: number }>('/api/two-factor/email/setup', {}, { jwt: user.jwt });
    expect(emailSetup.status, JSON.stringify(emailSetup.body)).toBe(200);
    const activated = await app.http.post(
      '/api/two-factor/email/activate',
      { factorId: emailSetup.body.factorId, code: smtp.lastCode(user.email) },
      { jwt: user.jwt },
    );
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);

    const sent = await app.http.post<{ sentTo: string }>(
      '/api/two-factor/step-up/send',
      { method: 'email' },
      {
        jwt: user.jwt,
      },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.sentTo).toMatch(/@example\.test$/);
    const phone = uniquePhone();
    await enrolSms(app, user.jwt, phone, { method: 'email', code: smtp.lastCode(user.email) });
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors.map((f) => f.type)).toEqual(['email', 'sms']);
  });

  it('should accept a TOTP code for re-authentication', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    moveToMidStep(app);
    await enrolSms(app, user.jwt, uniquePhone(), { method: 'totp', code: authenticatorCode(secret, pluginStep(app)) });
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.factors.map((f) => f.type)).toEqual(['totp', 'sms']);
  });

  it('should add the first factor without re-authentication', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  });

  it('should tell the owner of a removed email factor that email codes were turned off, not that a phone was removed', async () => {
    const user = await userWithSmsFactor(app);
    const emailSetup = await app.http.post<{ factorId: number }>(
      '/api/two-factor/email/setup',
      await smsReauthentication(app, user.jwt, user.phone),
      { jwt: user.jwt },
    );
    expect(emailSetup.status, JSON.stringify(emailSetup.body)).toBe(200);
    await app.http.post(
      '/api/two-factor/email/activate',
      { factorId: emailSetup.body.factorId, code: smtp.lastCode(user.email) },
      { jwt: user.jwt },
    );
    const removed = await app.http.post(
      `/api/two-factor/factors/${emailSetup.body.factorId}/remove`,
      await smsReauthentication(app, user.jwt, user.phone),
      { jwt: user.jwt },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const sent = (await app.sms.messages(user.phone)).length;
    await waitForSms(app, user.phone, sent);
    expect((await app.sms.last(user.phone)).body).toMatch(/^Example: email codes were turned off\./);
  });
});
