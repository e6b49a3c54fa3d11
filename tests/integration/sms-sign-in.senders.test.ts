import { databaseUnderTest, type ExampleApp, startExampleApp, TEST_TWILIO } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { errorCode, loginChallenge, userWithSmsFactor, wrongCode } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

/** The whole sign-in with each Twilio sender and in each of users-permissions' token modes. */
const SETUPS = [
  {
    name: 'twilio Messaging with From, legacy-support mode',
    env: { UP_JWT_MANAGEMENT: 'legacy-support', UP_SESSIONS_HTTP_ONLY: 'false' },
    expectedKeys: ['jwt', 'user'],
    api: 'messages',
  },
  {
    name: 'twilio Messaging with a MessagingServiceSid, refresh mode with body tokens',
    env: { UP_SESSIONS_HTTP_ONLY: 'false', TWILIO_MESSAGING_SERVICE_SID: TEST_TWILIO.messagingServiceSid },
    expectedKeys: ['jwt', 'refreshToken', 'user'],
    api: 'messages',
  },
  {
    name: 'twilio-verify, refresh mode with the http-only cookie',
    env: { TWO_FACTOR_SMS_PROVIDER: 'twilio-verify' },
    expectedKeys: ['jwt', 'user'],
    api: 'verify',
  },
] as const;

describe.each(SETUPS)(`SMS sign-in on ${databaseUnderTest()} with $name`, (setup) => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: setup.env });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should sign in with the SMS code and hand out the tokens of the mode', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post<StrapiLoginBody>(VERIFY, { token, method: 'sms', code });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(Object.keys(verify.body).sort()).toEqual(setup.expectedKeys);
    const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: verify.body.jwt });
    expect(me.body.id).toBe(user.id);
  });

  it('should have sent the SMS through the right Twilio API with the right sender and auth', async () => {
    const user = await userWithSmsFactor(app);
    await loginChallenge(app, user);
    const sms = await app.sms.last(user.phone);
    expect(sms.api).toBe(setup.api);
    expect(sms.basicAuthUser).toBe(TEST_TWILIO.accountSid);
    if (setup.api === 'verify') {
      expect(sms.verifyServiceSid).toBe(TEST_TWILIO.verifyServiceSid);
    } else if ('TWILIO_MESSAGING_SERVICE_SID' in setup.env) {
      expect(sms).toMatchObject({ messagingServiceSid: TEST_TWILIO.messagingServiceSid, from: null });
    } else {
      expect(sms).toMatchObject({ from: TEST_TWILIO.from, messagingServiceSid: null });
    }
  });

  it('should refuse a wrong code and keep our own attempt cap', async () => {
    const user = await userWithSmsFactor(app);
    const { token, code } = await loginChallenge(app, user);
    for (let i = 0; i < 5; i += 1) {
      expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code: wrongCode(code) }))).toBe(
        'INVALID_CODE',
      );
    }
    expect(errorCode(await app.http.post(VERIFY, { token, method: 'sms', code }))).toBe('TOO_MANY_ATTEMPTS');
  });
});
