import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, graphqlErrorCode, graphqlVerify } from '../support/graphql';
import { newUsername } from '../support/phoneSignUp';
import { travel, uniquePhone, userWithSmsFactor, waitForSms } from '../support/twoFactor';

const PHONE_REGISTER = gql`
  mutation Register($input: TwoFactorPhoneRegisterInput!) {
    twoFactorPhoneRegister(input: $input) { verification { sentTo expiresAt resendAvailableAt } }
  }
`;
const PHONE_VERIFY = gql`
  mutation Verify($input: TwoFactorPhoneVerifyInput!) {
    twoFactorPhoneVerify(input: $input) { jwt user { id username confirmed } recoveryCodes }
  }
`;
const PHONE_RESEND = gql`
  mutation Resend($input: TwoFactorPhoneInput!) {
    twoFactorPhoneResend(input: $input) { verification { sentTo expiresAt resendAvailableAt } }
  }
`;
const PHONE_LOGIN = gql`
  mutation PhoneLogin($input: TwoFactorPhoneInput!) {
    twoFactorPhoneLogin(input: $input) { token expiresAt methods method sentTo resendAvailableAt }
  }
`;

interface Verification {
  verification: { sentTo: string; expiresAt: string; resendAvailableAt: string };
}

describe(`GraphQL phone sign-up and phone sign-in on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should register with a phone, send an SMS, verify, and sign the user in', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    const registered = await graphql<{ twoFactorPhoneRegister: Verification }>(app, PHONE_REGISTER, {
      input: { username, phone },
    });
    expect(registered.errors).toEqual([]);
    expect(registered.data?.twoFactorPhoneRegister.verification.sentTo).toBe(`+1 ••• ••• ${phone.slice(-4)}`);
    const verified = await graphql<{
      twoFactorPhoneVerify: { jwt: string; user: { username: string; confirmed: boolean }; recoveryCodes: string[] };
    }>(app, PHONE_VERIFY, { input: { phone, code: await app.sms.lastCode(phone) } });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorPhoneVerify.user).toMatchObject({ username, confirmed: true });
    expect(verified.data?.twoFactorPhoneVerify.recoveryCodes).toHaveLength(10);
    const jwt = verified.data?.twoFactorPhoneVerify.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt })).status).toBe(200);
  });

  it('should refuse a number that belongs to another user with PHONE_TAKEN', async () => {
    const owner = await userWithSmsFactor(app);
    const taken = await graphql(app, PHONE_REGISTER, { input: { username: newUsername(), phone: owner.phone } });
    expect(taken.data).toBeNull();
    expect(graphqlErrorCode(taken)).toBe('PHONE_TAKEN');
  });

  it('should refuse a malformed number with INVALID_PHONE and a wrong code with INVALID_CODE', async () => {
    const invalid = await graphql(app, PHONE_REGISTER, { input: { username: newUsername(), phone: '+1 555' } });
    expect(graphqlErrorCode(invalid)).toBe('INVALID_PHONE');
    const phone = uniquePhone();
    await graphql(app, PHONE_REGISTER, { input: { username: newUsername(), phone } });
    const code = await app.sms.lastCode(phone);
    const wrong = await graphql(app, PHONE_VERIFY, { input: { phone, code: code === '000000' ? '111111' : '000000' } });
    expect(graphqlErrorCode(wrong)).toBe('INVALID_CODE');
  });

  it('should resend the code to a pending number and answer an unknown one with the same shape', async () => {
    const phone = uniquePhone();
    await graphql(app, PHONE_REGISTER, { input: { username: newUsername(), phone } });
    travel(app, 31);
    const known = await graphql<{ twoFactorPhoneResend: Verification }>(app, PHONE_RESEND, { input: { phone } });
    const unknown = await graphql<{ twoFactorPhoneResend: Verification }>(app, PHONE_RESEND, {
      input: { phone: uniquePhone() },
    });
    expect(known.errors).toEqual([]);
    expect(unknown.errors).toEqual([]);
    const keys = (answer: typeof known) => Object.keys(answer.data?.twoFactorPhoneResend.verification ?? {}).sort();
    expect(keys(known)).toEqual(['expiresAt', 'resendAvailableAt', 'sentTo']);
    expect(keys(unknown)).toEqual(keys(known));
    await waitForSms(app, phone, 2);
    const verified = await graphql(app, PHONE_VERIFY, { input: { phone, code: await app.sms.lastCode(phone) } });
    expect(verified.errors).toEqual([]);
  });

  it('should sign in with a phone number and an SMS code, finished by twoFactorVerify', async () => {
    const user = await userWithSmsFactor(app);
    const before = (await app.sms.messages(user.phone)).length;
    const started = await graphql<{ twoFactorPhoneLogin: { token: string; methods: string[]; method: string } }>(
      app,
      PHONE_LOGIN,
      { input: { phone: user.phone } },
    );
    expect(started.errors).toEqual([]);
    expect(started.data?.twoFactorPhoneLogin).toMatchObject({ method: 'sms', methods: ['sms'] });
    await waitForSms(app, user.phone, before + 1);
    const verified = await graphqlVerify(app, {
      token: started.data?.twoFactorPhoneLogin.token,
      method: 'sms',
      code: await app.sms.lastCode(user.phone),
    });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.user.username).toBe(user.username);
  });

  it('should answer phone sign-in for an unknown number with the same shape and send nothing', async () => {
    const phone = uniquePhone();
    const started = await graphql<{ twoFactorPhoneLogin: Record<string, unknown> }>(app, PHONE_LOGIN, {
      input: { phone },
    });
    expect(started.errors).toEqual([]);
    expect(Object.keys(started.data?.twoFactorPhoneLogin ?? {}).sort()).toEqual(
      ['expiresAt', 'method', 'methods', 'resendAvailableAt', 'sentTo', 'token'].sort(),
    );
    await app.strapi.plugin('two-factor').service('sms').drain();
    expect(await app.sms.messages(phone)).toEqual([]);
  });
});
