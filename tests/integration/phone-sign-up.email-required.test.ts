import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUsername, registerWithPhone } from '../support/phoneSignUp';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { errorCode, uniquePhone } from '../support/twoFactor';

interface IntrospectionBody {
  data: {
    __type: {
      fields: { name: string; type: { kind: string; name: string | null; ofType: { name: string } | null } }[];
    };
  };
}

/** `UsersPermissionsUser.email`'s GraphQL type as introspection reports it: `String!` or `String`. */
async function emailFieldType(app: ExampleApp): Promise<string> {
  const response = await app.http.post<IntrospectionBody>('/graphql', {
    query: '{ __type(name: "UsersPermissionsUser") { fields { name type { kind name ofType { name } } } } }',
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const email = response.body.data.__type.fields.find((field) => field.name === 'email');
  if (email === undefined) throw new Error('UsersPermissionsUser has no email field');
  return email.type.kind === 'NON_NULL' ? `${email.type.ofType?.name}!` : String(email.type.name);
}

describe(`the user's email with the plugin's default config on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    // The plugin's default: `phone.signUpWithoutEmail` off.
    app = await startExampleApp({ env: { TWO_FACTOR_PHONE_SIGN_UP_WITHOUT_EMAIL: 'false' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should keep UsersPermissionsUser.email non-null (String!) in GraphQL, as in plain Strapi', async () => {
    expect(await emailFieldType(app)).toBe('String!');
  });

  it("should keep users-permissions' email required in the schema the admin reads", () => {
    const model = app.strapi.getModel('plugin::users-permissions.user') as unknown as {
      attributes: { email: { required?: boolean } };
    };
    expect(model.attributes.email.required).toBe(true);
  });

  it('should sign up with a phone and an email', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    const registered = await registerWithPhone(app, { username, phone, email: `${username}@example.test` });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/phone/verify', {
      phone,
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.user.email).toBe(`${username}@example.test`);
  });

  it('should refuse a phone sign-up without an email, naming the field, and send nothing', async () => {
    const phone = uniquePhone();
    const username = newUsername();
    const registered = await registerWithPhone(app, { username, phone });
    expect(registered.status).toBe(400);
    expect(errorCode(registered)).toBe('INVALID_INPUT');
    expect((registered.body as unknown as { error: { details: { fields: string[] } } }).error.details.fields).toEqual([
      'email',
    ]);
    expect(await app.sms.messages(phone)).toHaveLength(0);
    expect(await app.strapi.db.query('plugin::users-permissions.user').count({ where: { username } })).toBe(0);
  });
});

describe(`the user's email where the app opts in to phone-only users on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    // The example app's own setting.
    app = await startExampleApp({ env: { TWO_FACTOR_PHONE_SIGN_UP_WITHOUT_EMAIL: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should make UsersPermissionsUser.email nullable and sign up a user with a phone alone', async () => {
    expect(await emailFieldType(app)).toBe('String');
    const phone = uniquePhone();
    const registered = await registerWithPhone(app, { username: newUsername(), phone });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/phone/verify', {
      phone,
      code: await app.sms.lastCode(phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.user.email).toBeNull();
  });
});
