import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTwoFactorClient,
  NotSignedInError,
  TwoFactorApiError,
  type TwoFactorClient,
} from '../../packages/client/src';
import { signUp, uniquePhone, userWithSmsFactor, wrongCode } from '../support/twoFactor';

describe(`the client's self-service calls on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** A client holding the jwt of a freshly registered user, as an app restoring its session would. */
  async function signedInClient(): Promise<TwoFactorClient> {
    const { jwt } = await signUp(app);
    const client = createTwoFactorClient({ baseUrl: app.url });
    client.setAccessToken(jwt);
    return client;
  }

  it('should refuse a self-service call without a jwt and send nothing', async () => {
    let requests = 0;
    const client = createTwoFactorClient({
      baseUrl: app.url,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    await expect(client.me()).rejects.toBeInstanceOf(NotSignedInError);
    expect(requests).toBe(0);
  });

  it('should report a user without factors through me()', async () => {
    const client = await signedInClient();
    expect(await client.me()).toMatchObject({
      enabled: false,
      required: false,
      factors: [],
      recoveryCodesRemaining: 0,
      trustedDevices: [],
    });
  });

  it('should start an SMS factor with setupSms and send its code', async () => {
    const client = await signedInClient();
    const phone = uniquePhone();
    const setup = await client.setupSms({ phone });
    expect(setup).toEqual({
      factorId: expect.any(Number),
      sentTo: expect.stringMatching(/^\+1 .*\d{4}$/),
      expiresAt: expect.any(String),
      resendAvailableAt: expect.any(String),
    });
    expect(await app.sms.lastCode(phone)).toMatch(/^\d{6}$/);
  });

  it('should activate the SMS factor with activateSms and the code it received', async () => {
    const client = await signedInClient();
    const phone = uniquePhone();
    const { factorId, sentTo } = await client.setupSms({ phone });
    const activation = await client.activateSms({ factorId, code: await app.sms.lastCode(phone) });
    expect(activation.factor).toMatchObject({ id: factorId, type: 'sms', sentTo });
    expect((await client.me()).enabled).toBe(true);
  });

  it('should surface a wrong activation code as INVALID_CODE', async () => {
    const client = await signedInClient();
    const phone = uniquePhone();
    const { factorId } = await client.setupSms({ phone });
    const error = await client
      .activateSms({ factorId, code: wrongCode(await app.sms.lastCode(phone)) })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_CODE' });
  });

  it("should surface another user's number as PHONE_TAKEN", async () => {
    const owner = await userWithSmsFactor(app);
    const client = await signedInClient();
    const error = await client.setupSms({ phone: owner.phone }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 400, code: 'PHONE_TAKEN' });
  });
});
