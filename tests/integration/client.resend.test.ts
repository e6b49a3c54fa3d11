import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoFactorClient, TwoFactorApiError, type TwoFactorClient } from '../../packages/client/src';
import { loginChallenge, travel, userWithSmsFactor } from '../support/twoFactor';

describe(`the client's resendCode on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  function newClient(): TwoFactorClient {
    return createTwoFactorClient({ baseUrl: app.url });
  }

  it('should surface a resend within the cooldown as RESEND_TOO_SOON with retryAfterSeconds', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 20);
    const error = await newClient()
      .resendCode({ token, method: 'sms' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 429, code: 'RESEND_TOO_SOON', retryAfterSeconds: 10 });
  });

  it('should return where the new code went and when it expires and may be resent', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 30);
    const delivery = await newClient().resendCode({ token, method: 'sms' });
    expect(delivery).toEqual({
      sentTo: expect.stringMatching(/^\+1 .*\d{4}$/),
      expiresAt: expect.any(String),
      resendAvailableAt: expect.any(String),
    });
    // The server's clock moved 30 s: compare its own timestamps, not the wall clock.
    expect(Date.parse(delivery.expiresAt) - Date.parse(delivery.resendAvailableAt)).toBe((300 - 30) * 1000);
  });

  it('should sign in with the resent code', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    travel(app, 30);
    const client = newClient();
    await client.resendCode({ token, method: 'sms' });
    const code = await app.sms.lastCode(user.phone);
    const session = await client.verifyChallenge({ token, method: 'sms', code });
    expect(session.user.id).toBe(user.id);
  });
});
