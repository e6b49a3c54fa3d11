import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTwoFactorClient,
  type LoginChallenge,
  type SessionTokens,
  TwoFactorApiError,
  type TwoFactorClient,
} from '../../packages/client/src';
import { type EnrolledUser, signUp, userWithSmsFactor, waitForSms, wrongCode } from '../support/twoFactor';
import { newUser } from '../support/users';

describe(`the client's two-step sign-in on ${databaseUnderTest()}`, () => {
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

  /** Step 1 through the client, then the code of the SMS that leaves after the response. */
  async function signInToChallenge(
    client: TwoFactorClient,
    user: EnrolledUser,
  ): Promise<{ challenge: LoginChallenge; code: string }> {
    const before = (await app.sms.messages(user.phone)).length;
    const result = await client.signIn({ identifier: user.username, password: user.password });
    if (result.kind !== 'challenge') throw new Error(`Expected a challenge, got ${result.kind}`);
    await waitForSms(app, user.phone, before + 1);
    return { challenge: result.challenge, code: await app.sms.lastCode(user.phone) };
  }

  it('should answer a user without two-step verification with a session and keep its jwt', async () => {
    const user = await signUp(app);
    const client = newClient();
    const result = await client.signIn({ identifier: user.email, password: user.password });
    expect(result.kind).toBe('session');
    if (result.kind !== 'session') return;
    expect(result.session.user).toMatchObject({ id: user.id, username: user.username });
    expect(client.getAccessToken()).toBe(result.session.jwt);
  });

  it('should tell onTokensChange about the session it keeps', async () => {
    const user = await signUp(app);
    const changes: SessionTokens[] = [];
    const client = createTwoFactorClient({ baseUrl: app.url, onTokensChange: (tokens) => changes.push(tokens) });
    const result = await client.signIn({ identifier: user.username, password: user.password });
    if (result.kind !== 'session') throw new Error(`Expected a session, got ${result.kind}`);
    expect(changes).toEqual([{ jwt: result.session.jwt, refreshToken: null }]);
  });

  it('should answer a user with an SMS factor with a typed challenge and keep no jwt', async () => {
    const user = await userWithSmsFactor(app);
    const client = newClient();
    const { challenge } = await signInToChallenge(client, user);
    expect(challenge).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      methods: expect.arrayContaining(['sms']),
      method: 'sms',
      sentTo: expect.stringMatching(/^\+1 .*\d{4}$/),
      resendAvailableAt: expect.any(String),
    });
    expect(client.getAccessToken()).toBeNull();
  });

  it("should end the challenge with Strapi's session from verifyChallenge", async () => {
    const user = await userWithSmsFactor(app);
    const client = newClient();
    const { challenge, code } = await signInToChallenge(client, user);
    const session = await client.verifyChallenge({ token: challenge.token, method: 'sms', code });
    expect(session.user).toMatchObject({ id: user.id, username: user.username });
    expect(session.user).not.toHaveProperty('password');
    expect(client.getAccessToken()).toBe(session.jwt);
  });

  it('should call me() with the jwt kept from verifyChallenge', async () => {
    const user = await userWithSmsFactor(app);
    const client = newClient();
    const { challenge, code } = await signInToChallenge(client, user);
    await client.verifyChallenge({ token: challenge.token, method: 'sms', code });
    const status = await client.me();
    expect(status).toMatchObject({ enabled: true, required: false, recoveryCodesRemaining: expect.any(Number) });
    expect(status.factors).toEqual([expect.objectContaining({ type: 'sms', sentTo: challenge.sentTo })]);
  });

  it('should surface a wrong code as a TwoFactorApiError with code INVALID_CODE', async () => {
    const user = await userWithSmsFactor(app);
    const client = newClient();
    const { challenge, code } = await signInToChallenge(client, user);
    const error = await client
      .verifyChallenge({ token: challenge.token, method: 'sms', code: wrongCode(code) })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_CODE', retryAfterSeconds: undefined });
    expect(client.getAccessToken()).toBeNull();
  });

  it("should surface Strapi's own wrong-password error with its status and no plugin code", async () => {
    const user = newUser();
    const error = await newClient()
      .signIn({ identifier: user.username, password: user.password })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TwoFactorApiError);
    expect(error).toMatchObject({ status: 400, code: undefined, message: 'Invalid identifier or password' });
  });
});
