import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  graphql,
  graphqlChallenge,
  graphqlErrorCode,
  graphqlVerify,
  type LoginResult,
  type MeResult,
  TWO_FACTOR_LOGIN,
  TWO_FACTOR_ME,
  TWO_FACTOR_REGENERATE,
  TWO_FACTOR_STEP_UP_VERIFY,
} from '../support/graphql';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { signUp, uniquePhone, waitForSms } from '../support/twoFactor';

const SMS_SETUP = gql`
  mutation SmsSetup($input: TwoFactorSmsSetupInput!) {
    twoFactorSmsSetup(input: $input) { factorId sentTo expiresAt resendAvailableAt }
  }
`;
const SMS_ACTIVATE = gql`
  mutation SmsActivate($input: TwoFactorActivateInput!) {
    twoFactorSmsActivate(input: $input) { factor { id type sentTo } recoveryCodes jwt user { id username } }
  }
`;
const TOTP_SETUP = gql`
  mutation TotpSetup($input: TwoFactorReauthenticationInput) {
    twoFactorTotpSetup(input: $input) { factorId secret otpauthUri qrCodeSvg }
  }
`;
const TOTP_ACTIVATE = gql`
  mutation TotpActivate($input: TwoFactorActivateInput!) {
    twoFactorTotpActivate(input: $input) { factor { id type } recoveryCodes jwt }
  }
`;
const REMOVE_FACTOR = gql`
  mutation Remove($input: TwoFactorRemoveFactorInput!) {
    twoFactorRemoveFactor(input: $input) { enabled factors { id type } recoveryCodesRemaining }
  }
`;
const REVOKE_DEVICE = gql`
  mutation Revoke($input: TwoFactorRevokeTrustedDeviceInput!) {
    twoFactorRevokeTrustedDevice(input: $input) { trustedDevices { id } }
  }
`;
const STEP_UP_SEND = gql`
  mutation StepUpSend($input: TwoFactorStepUpSendInput!) {
    twoFactorStepUpSend(input: $input) { sentTo resendAvailableAt }
  }
`;
const STRAPI_ME = gql`
  query { me { id username } }
`;

interface TotpSetup {
  twoFactorTotpSetup: { factorId: string; secret: string };
}

describe(`GraphQL self-service and enrolment on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const settings = () => app.strapi.plugin('two-factor').service('settings');

  beforeAll(async () => {
    app = await startExampleApp();
  });

  beforeEach(async () => {
    await settings().updatePolicy({ ...settings().policy(), mode: 'optional', requiredRoles: [] }, 'test');
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Adds an authenticator app over GraphQL; `reauth` when a factor is already active. */
  async function addTotp(jwt: string, reauth?: { method: string; code: string }) {
    const setup = await graphql<TotpSetup>(app, TOTP_SETUP, { input: reauth ?? null }, { bearer: jwt });
    expect(setup.errors).toEqual([]);
    const { factorId, secret } = setup.data?.twoFactorTotpSetup ?? { factorId: '', secret: '' };
    moveToMidStep(app);
    const activated = await graphql<{ twoFactorTotpActivate: { recoveryCodes: string[] | null } }>(
      app,
      TOTP_ACTIVATE,
      { input: { factorId, code: authenticatorCode(secret, pluginStep(app)) } },
      { bearer: jwt },
    );
    expect(activated.errors).toEqual([]);
    moveToMidStep(app, 1);
    return { factorId, secret, recoveryCodes: activated.data?.twoFactorTotpActivate.recoveryCodes ?? [] };
  }

  /** Adds a first SMS factor over GraphQL, unchecked; the phone number. */
  async function addSms(jwt: string): Promise<string> {
    const phone = uniquePhone();
    const setup = await graphql<{ twoFactorSmsSetup: { factorId: string } }>(
      app,
      SMS_SETUP,
      { input: { phone } },
      { bearer: jwt },
    );
    await graphql(
      app,
      SMS_ACTIVATE,
      { input: { factorId: setup.data?.twoFactorSmsSetup.factorId, code: await app.sms.lastCode(phone) } },
      { bearer: jwt },
    );
    return phone;
  }

  it('should enrol under policy required with the enrolment token and end in a full login', async () => {
    const user = await signUp(app);
    await settings().updatePolicy({ ...settings().policy(), mode: 'required' }, 'test');
    const login = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
      input: { identifier: user.username, password: user.password },
    });
    expect(login.data?.twoFactorLogin).toMatchObject({ __typename: 'TwoFactorEnrollment', token: expect.any(String) });
    const token = login.data?.twoFactorLogin.token ?? '';
    const me = await graphql<MeResult>(app, TWO_FACTOR_ME, {}, { bearer: token });
    expect(me.errors).toEqual([]);
    expect(me.data?.twoFactorMe).toMatchObject({ enabled: false, required: true });

    const phone = uniquePhone();
    const setup = await graphql<{ twoFactorSmsSetup: { factorId: string } }>(
      app,
      SMS_SETUP,
      { input: { phone } },
      { bearer: token },
    );
    expect(setup.errors).toEqual([]);
    const activated = await graphql<{
      twoFactorSmsActivate: { factor: { type: string }; recoveryCodes: string[]; jwt: string; user: { id: string } };
    }>(
      app,
      SMS_ACTIVATE,
      { input: { factorId: setup.data?.twoFactorSmsSetup.factorId, code: await app.sms.lastCode(phone) } },
      { bearer: token },
    );
    expect(activated.errors).toEqual([]);
    expect(activated.data?.twoFactorSmsActivate).toMatchObject({
      factor: { type: 'sms' },
      user: { id: String(user.id) },
    });
    expect(activated.data?.twoFactorSmsActivate.recoveryCodes).toHaveLength(10);
    const jwt = activated.data?.twoFactorSmsActivate.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt })).status).toBe(200);
    // Spent: the enrolment token no longer authenticates anything.
    expect((await graphql(app, TWO_FACTOR_ME, {}, { bearer: token })).status).toBe(401);
  });

  it('should refuse the enrolment token on every operation but enrolment', async () => {
    const user = await signUp(app);
    await settings().updatePolicy({ ...settings().policy(), mode: 'required' }, 'test');
    const login = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
      input: { identifier: user.username, password: user.password },
    });
    const token = login.data?.twoFactorLogin.token ?? '';
    const regenerate = await graphql(
      app,
      TWO_FACTOR_REGENERATE,
      { input: { method: 'totp', code: '123456' } },
      { bearer: token },
    );
    expect(regenerate.data).toBeNull();
    expect(regenerate.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    const strapiMe = await graphql<{ me: unknown }>(app, STRAPI_ME, {}, { bearer: token });
    expect(strapiMe.data?.me ?? null).toBeNull();
    expect(strapiMe.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    // REST's answer to the same token outside enrolment is unchanged: 401.
    expect((await app.http.get('/api/users/me', { jwt: token })).status).toBe(401);
  });

  it('should add a first factor without re-authentication and a second one only with a fresh code', async () => {
    const user = await signUp(app);
    const { secret, recoveryCodes } = await addTotp(user.jwt);
    expect(recoveryCodes).toHaveLength(10);
    const phone = uniquePhone();
    const refused = await graphql(app, SMS_SETUP, { input: { phone } }, { bearer: user.jwt });
    expect(graphqlErrorCode(refused)).toBe('REAUTHENTICATION_REQUIRED');
    const setup = await graphql<{ twoFactorSmsSetup: { factorId: string; sentTo: string } }>(
      app,
      SMS_SETUP,
      { input: { phone, method: 'totp', code: authenticatorCode(secret, pluginStep(app)) } },
      { bearer: user.jwt },
    );
    expect(setup.errors).toEqual([]);
    expect(setup.data?.twoFactorSmsSetup.sentTo).toBe(`+1 ••• ••• ${phone.slice(-4)}`);
    const activated = await graphql<{ twoFactorSmsActivate: { recoveryCodes: string[] | null; jwt: string | null } }>(
      app,
      SMS_ACTIVATE,
      { input: { factorId: setup.data?.twoFactorSmsSetup.factorId, code: await app.sms.lastCode(phone) } },
      { bearer: user.jwt },
    );
    expect(activated.errors).toEqual([]);
    // Not the first factor: no new recovery codes, and no session (a jwt request, not enrolment).
    expect(activated.data?.twoFactorSmsActivate).toMatchObject({ recoveryCodes: null, jwt: null });
    const me = await graphql<MeResult>(app, TWO_FACTOR_ME, {}, { bearer: user.jwt });
    expect(me.data?.twoFactorMe.factors.map((factor) => factor.type).sort()).toEqual(['sms', 'totp']);
  });

  it('should remove a factor and regenerate recovery codes with a fresh code, and refuse without one', async () => {
    const user = await signUp(app);
    const { factorId, secret, recoveryCodes } = await addTotp(user.jwt);
    const noCode = await graphql(
      app,
      TWO_FACTOR_REGENERATE,
      { input: { method: 'totp', code: '000000' } },
      { bearer: user.jwt },
    );
    expect(graphqlErrorCode(noCode)).toBe('INVALID_CODE');
    const regenerated = await graphql<{ twoFactorRegenerateRecoveryCodes: { recoveryCodes: string[] } }>(
      app,
      TWO_FACTOR_REGENERATE,
      { input: { method: 'recovery_code', code: recoveryCodes[0] } },
      { bearer: user.jwt },
    );
    expect(regenerated.errors).toEqual([]);
    expect(regenerated.data?.twoFactorRegenerateRecoveryCodes.recoveryCodes).toHaveLength(10);
    expect(regenerated.data?.twoFactorRegenerateRecoveryCodes.recoveryCodes).not.toContain(recoveryCodes[1]);
    const removed = await graphql<{ twoFactorRemoveFactor: { enabled: boolean; factors: unknown[] } }>(
      app,
      REMOVE_FACTOR,
      { input: { factorId, method: 'totp', code: authenticatorCode(secret, pluginStep(app)) } },
      { bearer: user.jwt },
    );
    expect(removed.errors).toEqual([]);
    expect(removed.data?.twoFactorRemoveFactor).toMatchObject({ enabled: false, factors: [] });
  });

  it('should list and revoke a trusted device', async () => {
    const user = await signUp(app);
    const phone = await addSms(user.jwt);
    await app.strapi.plugin('two-factor').service('sms').drain();
    const before = (await app.sms.messages(phone)).length;
    const challenge = await graphqlChallenge(app, user);
    await waitForSms(app, phone, before + 1);
    const verified = await graphqlVerify(app, {
      token: challenge.token,
      method: 'sms',
      code: await app.sms.lastCode(phone),
      trustDevice: true,
    });
    const jwt = verified.data?.twoFactorVerify.jwt ?? '';
    const me = await graphql<MeResult>(app, TWO_FACTOR_ME, {}, { bearer: jwt });
    const [device] = me.data?.twoFactorMe.trustedDevices ?? [];
    expect(device?.id).toEqual(expect.any(String));
    const revoked = await graphql<{ twoFactorRevokeTrustedDevice: { trustedDevices: unknown[] } }>(
      app,
      REVOKE_DEVICE,
      { input: { trustedDeviceId: device?.id } },
      { bearer: jwt },
    );
    expect(revoked.errors).toEqual([]);
    expect(revoked.data?.twoFactorRevokeTrustedDevice.trustedDevices).toEqual([]);
  });

  it('should step a session up with a fresh SMS code', async () => {
    const user = await signUp(app);
    const phone = await addSms(user.jwt);
    const sent = await graphql(app, STEP_UP_SEND, { input: { method: 'sms' } }, { bearer: user.jwt });
    expect(sent.errors).toEqual([]);
    const raised = await graphql<{ twoFactorStepUpVerify: { jwt: string } }>(
      app,
      TWO_FACTOR_STEP_UP_VERIFY,
      { input: { method: 'sms', code: await app.sms.lastCode(phone) } },
      { bearer: user.jwt },
    );
    expect(raised.errors).toEqual([]);
    const claims = JSON.parse(
      Buffer.from(raised.data?.twoFactorStepUpVerify.jwt.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims.aal).toBe(2);
  });

  it('should refuse self-service without a signed-in user', async () => {
    const answer = await graphql(app, TOTP_SETUP, { input: null });
    expect(answer.data).toBeNull();
    expect(answer.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
