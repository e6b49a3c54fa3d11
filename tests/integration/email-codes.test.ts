import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, enrolSms, errorCode, signUp, smsReauthentication, startLogin } from '../support/twoFactor';

describe(`email codes through an SMTP server on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  const drainEmail = () => app.strapi.plugin('two-factor').service('email').drain();

  async function userWithEmailFactor() {
    const user = await signUp(app);
    const setup = await app.http.post<{ factorId: number; sentTo: string }>(
      '/api/two-factor/email/setup',
      {},
      { jwt: user.jwt },
    );
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const activate = await app.http.post<{ factor: { type: string }; recoveryCodes: string[] }>(
      '/api/two-factor/email/activate',
      { factorId: setup.body.factorId, code: smtp.lastCode(user.email) },
      { jwt: user.jwt },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    // The "email codes were turned on" notice goes by email after the response: let it
    // arrive before the test counts this address's mail.
    const deadline = Date.now() + 3_000;
    while (!smtp.messages(user.email).some((mail) => /two-step verification changed/.test(mail.subject))) {
      if (Date.now() > deadline) throw new Error(`No security notice mailed to ${user.email}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { ...user, setup: setup.body, activate: activate.body };
  }

  it('should allow email codes by default once an email provider is configured', () => {
    expect(app.strapi.config.get('plugin::email.provider')).toBe('nodemailer');
    const policy = app.strapi.plugin('two-factor').service('settings').policy() as { allowedMethods: string[] };
    expect(policy.allowedMethods).toEqual(['sms', 'totp', 'email']);
  });

  it('should enrol the account email with a code that arrived by SMTP', async () => {
    const user = await userWithEmailFactor();
    expect(user.setup.sentTo).toMatch(/^u•••.@example\.test$/);
    expect(user.activate.factor.type).toBe('email');
    expect(user.activate.recoveryCodes).toHaveLength(10);
    // The first mail is the code; the factor-added notice follows it.
    const [code, notice] = smtp.messages(user.email);
    expect(code?.subject).toMatch(/^\d{6} is your Example verification code$/);
    expect(notice?.subject).toBe('Example: two-step verification changed');
  });

  it('should sign in with a code sent by email', async () => {
    const user = await userWithEmailFactor();
    const sent = smtp.messages(user.email).length;
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge).toMatchObject({ method: 'email', methods: ['email', 'recovery_code'] });
    await drainEmail();
    expect(smtp.messages(user.email)).toHaveLength(sent + 1);
    const verify = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'email',
      code: smtp.lastCode(user.email),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.jwt).toEqual(expect.any(String));
  });

  it('should keep the same attempt cap for email codes', async () => {
    const user = await userWithEmailFactor();
    const step1 = await startLogin(app, user);
    await drainEmail();
    const code = smtp.lastCode(user.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) {
      const response = await app.http.post('/api/two-factor/challenge/verify', {
        token: step1.body.challenge.token,
        method: 'email',
        code: wrong,
      });
      expect(errorCode(response)).toBe('INVALID_CODE');
    }
    const right = await app.http.post('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'email',
      code,
    });
    expect(errorCode(right)).toBe('TOO_MANY_ATTEMPTS');
  });

  it('should switch a challenge from SMS to email on request', async () => {
    const user = await signUp(app);
    const { phone } = await enrolSms(app, user.jwt);
    const setup = await app.http.post<{ factorId: number }>(
      '/api/two-factor/email/setup',
      await smsReauthentication(app, user.jwt, phone),
      { jwt: user.jwt },
    );
    await app.http.post(
      '/api/two-factor/email/activate',
      { factorId: setup.body.factorId, code: smtp.lastCode(user.email) },
      { jwt: user.jwt },
    );
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge.method).toBe('sms');
    const switched = await app.http.post<ChallengeBody['challenge']>('/api/two-factor/challenge/send', {
      token: step1.body.challenge.token,
      method: 'email',
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    const verify = await app.http.post('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'email',
      code: smtp.lastCode(user.email),
    });
    expect(verify.status).toBe(200);
  });
});
