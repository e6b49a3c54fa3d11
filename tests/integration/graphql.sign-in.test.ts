import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  graphql,
  graphqlChallenge,
  graphqlErrorCode,
  graphqlSmsChallenge,
  graphqlVerify,
  type LoginResult,
  type MeResult,
  TWO_FACTOR_LOGIN,
  TWO_FACTOR_ME,
  TWO_FACTOR_SEND_CODE,
} from '../support/graphql';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import { signUp, travel, userWithSmsFactor, waitForSms, wrongCode } from '../support/twoFactor';
import { cookieHeader } from '../support/users';

const STRAPI_LOGIN = gql`
  mutation StrapiLogin($input: UsersPermissionsLoginInput!) {
    login(input: $input) { jwt user { id username } }
  }
`;

function refreshCookies(headers: Headers): string[] {
  return headers.getSetCookie().filter((cookie) => cookie.startsWith('strapi_up_refresh='));
}

describe(`GraphQL sign-in on ${databaseUnderTest()} (refresh mode, http-only cookie)`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const verifyWith = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    graphqlVerify(app, input, { headers });

  it("should sign a user without a factor in as Strapi's own GraphQL login does", async () => {
    const user = await signUp(app);
    const credentials = { identifier: user.username, password: user.password };
    const ours = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, { input: credentials });
    const strapis = await graphql<{ login: { jwt: string } }>(app, STRAPI_LOGIN, { input: credentials });
    expect(ours.errors).toEqual([]);
    expect(ours.data?.twoFactorLogin).toMatchObject({
      __typename: 'UsersPermissionsLoginPayload',
      jwt: expect.any(String),
      user: { id: String(user.id), username: user.username },
    });
    // Refresh mode: both put the refresh token in the http-only cookie, neither in the payload.
    expect(refreshCookies(ours.headers)).toHaveLength(1);
    expect(refreshCookies(strapis.headers)).toHaveLength(1);
    const me = await app.http.get('/api/users/me', { jwt: ours.data?.twoFactorLogin.jwt ?? '' });
    expect(me.status).toBe(200);
  });

  it('should answer step 1 with a challenge, send the SMS, and give no jwt or cookie', async () => {
    const user = await userWithSmsFactor(app);
    const before = (await app.sms.messages(user.phone)).length;
    const answer = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
      input: { identifier: user.username, password: user.password },
    });
    expect(answer.errors).toEqual([]);
    expect(answer.data?.twoFactorLogin).toMatchObject({
      __typename: 'TwoFactorChallenge',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      methods: ['sms', 'recovery_code'],
      method: 'sms',
      sentTo: expect.stringMatching(/^\+1 .*\d{4}$/),
    });
    expect(refreshCookies(answer.headers)).toEqual([]);
    await waitForSms(app, user.phone, before + 1);
  });

  it('should finish an SMS sign-in with twoFactorVerify and hand over the refresh cookie', async () => {
    const user = await userWithSmsFactor(app);
    const { code, ...challenge } = await graphqlSmsChallenge(app, user);
    const verified = await verifyWith({ token: challenge.token, method: 'sms', code });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.user.username).toBe(user.username);
    const jwt = verified.data?.twoFactorVerify.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt })).status).toBe(200);
    const cookies = refreshCookies(verified.headers);
    expect(cookies).toHaveLength(1);
    const refreshed = await app.http.post<{ jwt: string }>('/api/auth/refresh', {}, { cookie: cookieHeader(cookies) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.jwt).toEqual(expect.any(String));
  });

  it('should refuse a wrong code with INVALID_CODE in extensions.error.details.code', async () => {
    const user = await userWithSmsFactor(app);
    const { code, ...challenge } = await graphqlSmsChallenge(app, user);
    const refused = await verifyWith({ token: challenge.token, method: 'sms', code: wrongCode(code) });
    expect(refused.data).toBeNull();
    expect(graphqlErrorCode(refused)).toBe('INVALID_CODE');
    expect(refused.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should sign in with an authenticator app', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const challenge = await graphqlChallenge(app, user);
    expect(challenge.method).toBe('totp');
    moveToMidStep(app, 1);
    const verified = await verifyWith({
      token: challenge.token,
      method: 'totp',
      code: authenticatorCode(secret, pluginStep(app)),
    });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.jwt).toEqual(expect.any(String));
  });

  it('should sign in with a recovery code once and refuse it the second time', async () => {
    const user = await signUp(app);
    const { recoveryCodes = [] } = await enrolTotp(app, user.jwt);
    const code = recoveryCodes[0] ?? '';
    const first = await verifyWith({ token: (await graphqlChallenge(app, user)).token, method: 'recovery_code', code });
    expect(first.errors).toEqual([]);
    expect(first.data?.twoFactorVerify.jwt).toEqual(expect.any(String));
    const again = await verifyWith({ token: (await graphqlChallenge(app, user)).token, method: 'recovery_code', code });
    expect(graphqlErrorCode(again)).toBe('INVALID_CODE');
  });

  it('should send a new code with twoFactorSendCode, and refuse one too soon with RESEND_TOO_SOON', async () => {
    const user = await userWithSmsFactor(app);
    const before = (await app.sms.messages(user.phone)).length;
    const challenge = await graphqlChallenge(app, user);
    await waitForSms(app, user.phone, before + 1);
    const tooSoon = await graphql(app, TWO_FACTOR_SEND_CODE, { input: { token: challenge.token, method: 'sms' } });
    expect(graphqlErrorCode(tooSoon)).toBe('RESEND_TOO_SOON');
    expect(tooSoon.errors[0]?.extensions?.error?.details?.retryAfterSeconds).toEqual(expect.any(Number));
    travel(app, 31);
    const sent = await graphql<{ twoFactorSendCode: { sentTo: string } }>(app, TWO_FACTOR_SEND_CODE, {
      input: { token: challenge.token, method: 'sms' },
    });
    expect(sent.errors).toEqual([]);
    expect(sent.data?.twoFactorSendCode.sentTo).toMatch(/\d{4}$/);
    await waitForSms(app, user.phone, before + 2);
    const code = await app.sms.lastCode(user.phone);
    const verified = await verifyWith({ token: challenge.token, method: 'sms', code });
    expect(verified.errors).toEqual([]);
  });

  it('should give and then honour a trusted-device token, rotated on use', async () => {
    const user = await userWithSmsFactor(app);
    const { code, ...challenge } = await graphqlSmsChallenge(app, user);
    const verified = await verifyWith({ token: challenge.token, method: 'sms', code, trustDevice: true });
    const device = verified.data?.twoFactorVerify.trustedDevice;
    expect(device?.token).toEqual(expect.any(String));
    const again = await graphql<LoginResult>(
      app,
      TWO_FACTOR_LOGIN,
      { input: { identifier: user.username, password: user.password } },
      { headers: { 'x-two-factor-device': device?.token ?? '' } },
    );
    expect(again.errors).toEqual([]);
    expect(again.data?.twoFactorLogin.__typename).toBe('TwoFactorSession');
    expect(again.data?.twoFactorLogin.jwt).toEqual(expect.any(String));
    expect(again.data?.twoFactorLogin.trustedDevice?.token).toEqual(expect.any(String));
    expect(again.data?.twoFactorLogin.trustedDevice?.token).not.toBe(device?.token);
  });

  it("should keep Strapi's own login failing closed with TWO_FACTOR_REQUIRED", async () => {
    const user = await userWithSmsFactor(app);
    const refused = await graphql(app, STRAPI_LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(refused.data).toBeNull();
    expect(graphqlErrorCode(refused)).toBe('TWO_FACTOR_REQUIRED');
    expect(refreshCookies(refused.headers)).toEqual([]);
  });

  it("should refuse a wrong password with Strapi's own message", async () => {
    const user = await userWithSmsFactor(app);
    const refused = await graphql(app, TWO_FACTOR_LOGIN, {
      input: { identifier: user.username, password: 'nope-nope' },
    });
    expect(refused.data).toBeNull();
    expect(refused.errors[0]?.message).toBe('Invalid identifier or password');
  });

  it('should answer twoFactorMe for a signed-in user and refuse it without one', async () => {
    const user = await userWithSmsFactor(app);
    const me = await graphql<MeResult>(app, TWO_FACTOR_ME, {}, { bearer: user.jwt });
    expect(me.errors).toEqual([]);
    expect(me.data?.twoFactorMe).toMatchObject({ enabled: true, factors: [{ type: 'sms' }] });
    const anonymous = await graphql(app, TWO_FACTOR_ME);
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe(`GraphQL sign-in on ${databaseUnderTest()} (legacy-support mode)`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'legacy-support' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should finish with the jwt REST gives in legacy mode, and no refresh cookie', async () => {
    const user = await userWithSmsFactor(app);
    const { code, ...challenge } = await graphqlSmsChallenge(app, user);
    const verified = await graphqlVerify(app, { token: challenge.token, method: 'sms', code });
    expect(verified.errors).toEqual([]);
    const jwt = verified.data?.twoFactorVerify.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt })).status).toBe(200);
    expect(refreshCookies(verified.headers)).toEqual([]);
    const plain = await signUp(app);
    const rest = await app.http.post<StrapiLoginBody>('/api/auth/local', {
      identifier: plain.username,
      password: plain.password,
    });
    // Same kind of token as Strapi's legacy login: a jwt carrying the user id.
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims(jwt).id).toBe(user.id);
    expect(claims(rest.body.jwt).id).toBe(plain.id);
  });
});
