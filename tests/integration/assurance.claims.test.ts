import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAuthTimeNow, jwtPayload, signInFromTrustedDevice, signInWithSms } from '../support/assurance';
import { signUpWithPhone } from '../support/phoneSignUp';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import { signUp, startLogin, travel, uniquePhone, userWithSmsFactor } from '../support/twoFactor';
import { cookieHeader } from '../support/users';

/** What Strapi's own refresh-mode access token holds, and nothing else. */
const STRAPI_REFRESH_MODE_CLAIMS = ['exp', 'iat', 'sessionId', 'type', 'userId'];

describe(`assurance claims in refresh mode on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("should leave Strapi's token untouched for a user without a factor", async () => {
    const user = await signUp(app);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(Object.keys(jwtPayload(login.body.jwt)).sort()).toEqual(STRAPI_REFRESH_MODE_CLAIMS);
  });

  it('should record pwd, sms and mfa at AAL2 for a password and an SMS code', async () => {
    const user = await userWithSmsFactor(app);
    const payload = jwtPayload((await signInWithSms(app, user)).body.jwt);
    expect(payload).toMatchObject({ amr: ['pwd', 'sms', 'mfa'], aal: 2, userId: String(user.id) });
    expectAuthTimeNow(app, payload);
  });

  it('should record pwd, otp and mfa at AAL2 for a password and an authenticator code', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge.method).toBe('totp');
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'totp',
      code: authenticatorCode(secret, pluginStep(app)),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const payload = jwtPayload(verified.body.jwt);
    expect(payload).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], aal: 2 });
    expectAuthTimeNow(app, payload);
  });

  it('should record pwd, recovery and mfa at AAL2 for a password and a recovery code', async () => {
    const user = await signUp(app);
    const { recoveryCodes } = await enrolTotp(app, user.jwt);
    const step1 = await startLogin(app, user);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'recovery_code',
      code: recoveryCodes?.[0],
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(jwtPayload(verified.body.jwt)).toMatchObject({ amr: ['pwd', 'recovery', 'mfa'], aal: 2 });
  });

  it('should record sms alone at AAL1 for a phone sign-in', async () => {
    const phone = uniquePhone();
    await signUpWithPhone(app, phone);
    const started = await app.http.post<{ challenge: { token: string } }>('/api/two-factor/phone/login', { phone });
    expect(started.status).toBe(200);
    await app.strapi.plugin('two-factor').service('sms').drain();
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: started.body.challenge.token,
      method: 'sms',
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const payload = jwtPayload(verified.body.jwt);
    expect(payload).toMatchObject({ amr: ['sms'], aal: 1 });
    expectAuthTimeNow(app, payload);
  });

  it('should record sms alone at AAL1 for a phone sign-up', async () => {
    const body = await signUpWithPhone(app, uniquePhone());
    expect(jwtPayload(body.jwt)).toMatchObject({ amr: ['sms'], aal: 1 });
  });

  it('should record the password alone at AAL1 for a sign-in from a trusted device', async () => {
    const user = await userWithSmsFactor(app);
    const payload = jwtPayload((await signInFromTrustedDevice(app, user)).body.jwt);
    expect(payload).toMatchObject({ amr: ['pwd'], aal: 1 });
    expectAuthTimeNow(app, payload);
  });

  it('should keep the claims, auth_time included, in the access token a refresh hands out', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInWithSms(app, user);
    const before = jwtPayload(login.body.jwt);
    travel(app, 120);
    const refreshed = await app.http.post<{ jwt: string }>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(login.setCookies) },
    );
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const after = jwtPayload(refreshed.body.jwt);
    expect(after.sessionId).not.toBe(before.sessionId);
    expect(after).toMatchObject({ amr: before.amr, aal: 2, auth_time: before.auth_time });
    // The refreshed token still opens the user's routes (it verifies as Strapi's own).
    expect((await app.http.get('/api/users/me', { jwt: refreshed.body.jwt })).status).toBe(200);
  });

  it("should leave a refresh of a user without a factor Strapi's own token", async () => {
    const user = await signUp(app);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    const refreshed = await app.http.post<{ jwt: string }>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(login.setCookies) },
    );
    expect(refreshed.status).toBe(200);
    expect(Object.keys(jwtPayload(refreshed.body.jwt)).sort()).toEqual(STRAPI_REFRESH_MODE_CLAIMS);
  });
});

describe(`assurance claims with email codes on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  it('should record pwd and email at AAL1 for a password and an emailed code', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<{ factorId: number }>('/api/two-factor/email/setup', {}, { jwt: user.jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const activate = await app.http.post(
      '/api/two-factor/email/activate',
      { factorId: setup.body.factorId, code: smtp.lastCode(user.email) },
      { jwt: user.jwt },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge.method).toBe('email');
    await app.strapi.plugin('two-factor').service('email').drain();
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'email',
      code: smtp.lastCode(user.email),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(jwtPayload(verified.body.jwt)).toMatchObject({ amr: ['pwd', 'email'], aal: 1 });
  });
});

describe(`assurance claims in legacy-support mode on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'legacy-support', UP_SESSIONS_HTTP_ONLY: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("should leave Strapi's legacy token untouched for a user without a factor", async () => {
    const user = await signUp(app);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(Object.keys(jwtPayload(login.body.jwt)).sort()).toEqual(['exp', 'iat', 'id']);
  });

  it('should put pwd, sms and mfa at AAL2 in the legacy token', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInWithSms(app, user);
    const payload = jwtPayload(login.body.jwt);
    expect(payload).toMatchObject({ id: user.id, amr: ['pwd', 'sms', 'mfa'], aal: 2 });
    expectAuthTimeNow(app, payload);
    expect((await app.http.get('/api/users/me', { jwt: login.body.jwt })).status).toBe(200);
  });
});
