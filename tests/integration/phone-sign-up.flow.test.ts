import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUsername, registerWithPhone, signUpWithPhone } from '../support/phoneSignUp';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { errorCode, travel, uniquePhone } from '../support/twoFactor';

const users = (app: ExampleApp) => app.strapi.db.query('plugin::users-permissions.user');

describe(`phone sign-up on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_ALLOWED_COUNTRIES: 'US,CA' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should register with a phone, send an SMS, verify, and sign the user in', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    const registered = await registerWithPhone(app, { username, phone });
    expect(registered.status).toBe(200);
    expect(registered.body.verification.sentTo).toBe(`+1 ••• ••• ${phone.slice(-4)}`);
    const pending = (await users(app).findOne({ where: { username } })) as { confirmed: boolean; email: string | null };
    expect(pending).toMatchObject({ confirmed: false, email: null });

    const sms = await app.sms.last(phone);
    expect(sms.to).toBe(phone);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/phone/verify', {
      phone,
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(Object.keys(verified.body).sort()).toEqual(['jwt', 'recoveryCodes', 'user']);
    expect(verified.body.user).toMatchObject({ username, confirmed: true });
    const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: verified.body.jwt });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(username);
  });

  it('should keep an email and a password when given, and refuse fields the app does not allow', async () => {
    const phone = uniquePhone();
    const email = `${newUsername('mail')}@example.test`;
    const extra = await registerWithPhone(app, { username: newUsername(), phone, role: 1 });
    expect(extra.status).toBe(400);
    expect(errorCode(extra)).toBe('INVALID_INPUT');
    const registered = await registerWithPhone(app, {
      username: newUsername(),
      phone,
      email: email.toUpperCase(),
      password: 'Pw-phone-123',
    });
    expect(registered.status).toBe(200);
    const row = (await users(app).findOne({ where: { email } })) as { email: string } | null;
    expect(row?.email).toBe(email);
  });

  it.each([
    ['+14155550142', '+14155550142'],
    ['(415) 555-0143', '+14155550143'],
    ['415 555 0144', '+14155550144'],
    ['415-555-0145', '+14155550145'],
  ])('should normalise %s to %s', async (typed, e164) => {
    const registered = await registerWithPhone(app, { username: newUsername(), phone: typed });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    expect((await app.sms.last(e164)).to).toBe(e164);
  });

  it.each([
    ['555', 'INVALID_PHONE'],
    ['+33 6 12 34 56 78', 'COUNTRY_NOT_ALLOWED'],
  ])('should refuse %s with %s', async (phone, code) => {
    const registered = await registerWithPhone(app, { username: newUsername(), phone });
    expect(registered.status).toBe(400);
    expect(errorCode(registered)).toBe(code);
  });

  it('should answer PHONE_TAKEN for a number that belongs to another user, however it is written', async () => {
    await signUpWithPhone(app, '+13125550150');
    const again = await registerWithPhone(app, { username: newUsername(), phone: '(312) 555-0150' });
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe('PHONE_TAKEN');
  });

  it.each([2, 5])('should end %i parallel registrations of one number with exactly one user', async (count) => {
    const phone = uniquePhone();
    const names = Array.from({ length: count }, () => newUsername('race'));
    const responses = await Promise.all(names.map((username) => registerWithPhone(app, { username, phone })));
    const outcome = JSON.stringify(responses.map((r) => [r.status, errorCode(r) ?? null]));
    expect(
      responses.filter((r) => r.status === 200),
      outcome,
    ).toHaveLength(1);
    for (const r of responses.filter((r) => r.status !== 200)) expect(errorCode(r)).toBe('PHONE_TAKEN');
    expect(await users(app).count({ where: { username: { $in: names } } })).toBe(1);
  });

  it('should refuse a taken username with ACCOUNT_EXISTS', async () => {
    const username = newUsername();
    await registerWithPhone(app, { username, phone: uniquePhone() });
    const again = await registerWithPhone(app, { username, phone: uniquePhone() });
    expect(errorCode(again)).toBe('ACCOUNT_EXISTS');
  });

  it('should leave no half-made user when the SMS cannot be sent, so a retry works', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    app.twilio.failNext(20503, { api: 'messages' });
    const failed = await registerWithPhone(app, { username, phone });
    expect(failed.status).toBe(400);
    expect(errorCode(failed)).toBe('SMS_DELIVERY_FAILED');
    expect(await users(app).count({ where: { username } })).toBe(0);
    const retried = await registerWithPhone(app, { username, phone });
    expect(retried.status).toBe(200);
  });

  it('should free the number and the username of a sign-up never confirmed', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    await registerWithPhone(app, { username, phone });
    travel(app, 601);
    const cleaned = await app.strapi.plugin('two-factor').service('maintenance').runOnce();
    expect(cleaned.expiredSignUps).toBeGreaterThanOrEqual(1);
    expect(await users(app).count({ where: { username } })).toBe(0);
    expect((await registerWithPhone(app, { username, phone })).status).toBe(200);
  });

  it('should apply the attempt cap to phone verification', async () => {
    const phone = uniquePhone();
    await registerWithPhone(app, { username: newUsername(), phone });
    const code = await app.sms.lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1)
      expect(errorCode(await app.http.post('/api/two-factor/phone/verify', { phone, code: wrong }))).toBe(
        'INVALID_CODE',
      );
    expect(errorCode(await app.http.post('/api/two-factor/phone/verify', { phone, code }))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should resend a new code for a pending sign-up', async () => {
    const phone = uniquePhone();
    await registerWithPhone(app, { username: newUsername(), phone });
    travel(app, 30);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const before = (await app.sms.messages(phone)).length;
    const resent = await app.http.post('/api/two-factor/phone/resend', { phone });
    expect(resent.status).toBe(200);
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(phone)).toHaveLength(before + 1);
    const verified = await app.http.post('/api/two-factor/phone/verify', {
      phone,
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status).toBe(200);
  });
});

describe(`phone sign-in on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should sign in with phone + SMS code through challenge/verify', async () => {
    const phone = uniquePhone();
    const signedUp = await signUpWithPhone(app, phone);
    const started = await app.http.post<{ challenge: { token: string; methods: string[] } }>(
      '/api/two-factor/phone/login',
      { phone },
    );
    expect(started.status).toBe(200);
    expect(started.body.challenge.methods).toEqual(['sms']);
    await app.strapi.plugin('two-factor').service('sms').drain();
    const code = await app.sms.lastCode(phone);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: started.body.challenge.token,
      method: 'sms',
      code,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.user.id).toBe(signedUp.user.id);
  });

  it('should send nothing to an unknown number and refuse a code for it', async () => {
    const phone = uniquePhone();
    const started = await app.http.post<{ challenge: { token: string } }>('/api/two-factor/phone/login', { phone });
    expect(started.status).toBe(200);
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(phone)).toHaveLength(0);
    const verify = await app.http.post('/api/two-factor/challenge/verify', {
      token: started.body.challenge.token,
      method: 'sms',
      code: '123456',
    });
    expect(errorCode(verify)).toBe('INVALID_CODE');
  });
});

describe(`phone sign-in switched off on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_PHONE_SIGN_IN: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should refuse phone/login with METHOD_NOT_AVAILABLE', async () => {
    const response = await app.http.post('/api/two-factor/phone/login', { phone: uniquePhone() });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('METHOD_NOT_AVAILABLE');
  });
});
