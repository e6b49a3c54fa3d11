import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failSecondSteps, MAX_CONSECUTIVE_FAILURES } from '../support/adminApi';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import {
  enrolSms,
  errorCode,
  loginChallenge,
  signUp,
  smsReauthentication,
  startLogin,
  uniquePhone,
  userWithSmsFactor,
  wrongCode,
} from '../support/twoFactor';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe(`security notices on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  /** The newest SMS to `phone` once every queued send has left. */
  async function lastSmsBody(phone: string): Promise<string> {
    await app.strapi.plugin('two-factor').service('sms').drain();
    return (await app.sms.last(phone)).body;
  }

  /** Resolves with the mails to `to` whose text holds `text`, waiting up to 3 s for one. */
  async function mailsHolding(to: string, text: string): Promise<string[]> {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const found = smtp
        .messages(to)
        .map((mail) => mail.raw)
        .filter((raw) => raw.replace(/=\r?\n/g, '').includes(text));
      if (found.length > 0 || Date.now() > deadline) return found;
      await sleep(50);
    }
  }

  it('should text the new number that a phone number was added', async () => {
    const user = await userWithSmsFactor(app);
    expect(await lastSmsBody(user.phone)).toMatch(/^Example: a phone number was added\. If this was not you/);
  });

  it("should text the owner's phone when an authenticator app is added", async () => {
    const user = await userWithSmsFactor(app);
    await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, user.phone));
    expect(await lastSmsBody(user.phone)).toMatch(/^Example: an authenticator app was added\./);
  });

  it('should tell the owner when wrong codes lock the account', async () => {
    const user = await userWithSmsFactor(app);
    await failSecondSteps(app, user.id, MAX_CONSECUTIVE_FAILURES - 1);
    const { token, code } = await loginChallenge(app, user);
    const locking = await app.http.post('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code: wrongCode(code),
    });
    expect(errorCode(locking)).toBe('ACCOUNT_LOCKED');
    expect(await lastSmsBody(user.phone)).toMatch(/^Example: your account was locked after too many wrong codes\./);
  });

  it('should deliver the "phone number removed" notice when the sign-in SMS budget of the number is spent', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const phone = uniquePhone();
    // Next to the app: a fresh app code re-authenticates (no SMS); the set-up code is 1 of 10.
    const { factorId } = await enrolSms(app, user.jwt, phone, {
      method: 'totp',
      code: authenticatorCode(secret, pluginStep(app)),
    });
    for (let i = 0; i < 9; i += 1) {
      const step1 = await startLogin(app, user);
      const send = await app.http.post('/api/two-factor/challenge/send', {
        token: step1.body.challenge.token,
        method: 'sms',
      });
      expect(send.status, JSON.stringify(send.body)).toBe(200);
    }
    const step1 = await startLogin(app, user);
    const spent = await app.http.post('/api/two-factor/challenge/send', {
      token: step1.body.challenge.token,
      method: 'sms',
    });
    expect(errorCode(spent)).toBe('SMS_BUDGET_EXCEEDED');

    moveToMidStep(app, 1);
    const removed = await app.http.post(
      `/api/two-factor/factors/${factorId}/remove`,
      { method: 'totp', code: authenticatorCode(secret, pluginStep(app)) },
      { jwt: user.jwt },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(await lastSmsBody(phone)).toMatch(/^Example: a phone number was removed\./);
  });

  it('should email the notice when the SMS cannot leave', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const code = await app.sms.lastCode(phone);
    // Twilio refuses the next message for good (21211, not a valid number): the notice.
    app.twilio.failNext(21211);
    const activate = await app.http.post(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code },
      { jwt: user.jwt },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect((await app.sms.messages(phone)).map((m) => m.body)).not.toContainEqual(expect.stringMatching(/was added/));
    const mails = await mailsHolding(user.email, 'a phone number was added');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^Subject: Example: two-step verification changed/m);
  });
});
