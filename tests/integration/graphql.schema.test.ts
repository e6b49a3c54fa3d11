import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../support/graphql';

interface IntrospectedField {
  name: string;
}

interface IntrospectedType {
  name: string;
  fields: IntrospectedField[] | null;
  inputFields: IntrospectedField[] | null;
}

interface IntrospectionResult {
  __schema: {
    queryType: { fields: IntrospectedField[] };
    mutationType: { fields: IntrospectedField[] };
    types: IntrospectedType[];
  };
}

const INTROSPECTION = gql`
  query SchemaNames {
    __schema {
      queryType { fields { name } }
      mutationType { fields { name } }
      types { name fields { name } inputFields { name } }
    }
  }
`;

const pascal = (kebab: string): string =>
  kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * What GraphQL's shadow CRUD names after a content type (`plugin::two-factor.trusted-device` →
 * `TwoFactorTrustedDevice`, `twoFactorTrustedDevices`, `createTwoFactorTrustedDevice`, …).
 * Read from the running app's own content types, so a table added later is covered too.
 */
function shadowCrudNames(info: { singularName: string; pluralName: string }): {
  typePrefix: string;
  queries: string[];
  mutations: string[];
} {
  const singular = `TwoFactor${pascal(info.singularName)}`;
  const plural = `TwoFactor${pascal(info.pluralName)}`;
  const lower = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
  return {
    typePrefix: singular,
    queries: [lower(singular), lower(plural), `${lower(plural)}_connection`],
    mutations: [`create${singular}`, `update${singular}`, `delete${singular}`],
  };
}

describe(`GraphQL schema on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let schema: IntrospectionResult['__schema'];
  let pluginTables: { uid: string; singularName: string; pluralName: string }[];

  beforeAll(async () => {
    app = await startExampleApp();
    pluginTables = Object.entries(app.strapi.contentTypes)
      .filter(([uid]) => uid.startsWith('plugin::two-factor.'))
      .map(([uid, contentType]) => ({ uid, ...contentType.info }));
    schema = (await graphqlRequest<IntrospectionResult>(app, INTROSPECTION)).__schema;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should know the six plugin tables it checks', () => {
    expect(pluginTables.map((table) => table.uid).sort()).toEqual([
      'plugin::two-factor.account-state',
      'plugin::two-factor.challenge',
      'plugin::two-factor.event',
      'plugin::two-factor.factor',
      'plugin::two-factor.recovery-code',
      'plugin::two-factor.trusted-device',
    ]);
  });

  it('should publish no query or mutation for the plugin tables', () => {
    const queryNames = schema.queryType.fields.map((field) => field.name);
    const mutationNames = schema.mutationType.fields.map((field) => field.name);
    for (const table of pluginTables) {
      const names = shadowCrudNames(table);
      expect(
        queryNames.filter((name) => names.queries.includes(name)),
        table.uid,
      ).toEqual([]);
      expect(
        mutationNames.filter((name) => names.mutations.includes(name)),
        table.uid,
      ).toEqual([]);
    }
  });

  it('should publish no entity, input, filter or enum type for the plugin tables', () => {
    for (const table of pluginTables) {
      const prefix = shadowCrudNames(table).typePrefix;
      const leaked = schema.types.filter(
        (type) =>
          type.name.startsWith(`ENUM_${prefix.toUpperCase()}_`) ||
          [`${prefix}Input`, `${prefix}FiltersInput`, `${prefix}EntityResponseCollection`].includes(type.name) ||
          // A plugin's own payload type may be called `TwoFactorChallenge`; an entity has a documentId.
          (type.name === prefix && (type.fields ?? []).some((field) => field.name === 'documentId')),
      );
      expect(
        leaked.map((type) => type.name),
        table.uid,
      ).toEqual([]);
    }
  });

  it('should expose no stored hash or ciphertext as a field or input', () => {
    const fieldNames = schema.types.flatMap((type) =>
      [...(type.fields ?? []), ...(type.inputFields ?? [])].map((field) => `${type.name}.${field.name}`),
    );
    expect(fieldNames.filter((name) => /\.(tokenHash|codeHash|secretCiphertext|lastUsedTotpStep)$/.test(name))).toEqual(
      [],
    );
  });

  it('should publish the two-factor operations with the REST field names', async () => {
    const queryNames = schema.queryType.fields.map((field) => field.name);
    const mutationNames = schema.mutationType.fields.map((field) => field.name);
    expect(queryNames).toContain('twoFactorMe');
    expect(mutationNames).toEqual(
      expect.arrayContaining([
        'twoFactorLogin',
        'twoFactorVerify',
        'twoFactorSendCode',
        'twoFactorPhoneRegister',
        'twoFactorPhoneVerify',
        'twoFactorPhoneResend',
        'twoFactorPhoneLogin',
        'twoFactorSmsSetup',
        'twoFactorSmsActivate',
        'twoFactorEmailSetup',
        'twoFactorEmailActivate',
        'twoFactorTotpSetup',
        'twoFactorTotpActivate',
        'twoFactorRemoveFactor',
        'twoFactorRegenerateRecoveryCodes',
        'twoFactorRevokeTrustedDevice',
      ]),
    );
    const inputFields = (name: string) =>
      (schema.types.find((type) => type.name === name)?.inputFields ?? []).map((field) => field.name).sort();
    expect(inputFields('TwoFactorLoginInput')).toEqual(['deviceId', 'identifier', 'password']);
    expect(inputFields('TwoFactorVerifyInput')).toEqual([
      'code',
      'deviceId',
      'method',
      'response',
      'token',
      'trustDevice',
    ]);
    expect(inputFields('TwoFactorPhoneRegisterInput')).toEqual(['email', 'password', 'phone', 'username']);
    const union = await graphqlRequest<{
      __type: { possibleTypes: { name: string }[] };
    }>(
      app,
      gql`
      query { __type(name: "TwoFactorLoginResult") { possibleTypes { name } } }
    `,
    );
    expect(union.__type.possibleTypes.map((type) => type.name).sort()).toEqual([
      'TwoFactorChallenge',
      'TwoFactorEnrollment',
      'TwoFactorSession',
      'UsersPermissionsLoginPayload',
    ]);
  });

  it("should keep users-permissions' own types and its login mutation", () => {
    // Strapi's login payload is untouched: the refresh token reaches GraphQL clients as its cookie.
    const payload = schema.types.find((type) => type.name === 'UsersPermissionsLoginPayload');
    expect((payload?.fields ?? []).map((field) => field.name).sort()).toEqual(['jwt', 'user']);
    expect(schema.types.map((type) => type.name)).toContain('UsersPermissionsUser');
    expect(schema.mutationType.fields.map((field) => field.name)).toContain('login');
    expect(schema.queryType.fields.map((field) => field.name)).toContain('usersPermissionsUsers');
  });
});
