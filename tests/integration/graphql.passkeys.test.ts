import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GraphqlAnswer,
  graphql,
  graphqlErrorCode,
  graphqlRequest,
  graphqlVerify,
  type LoginResult,
  type MeResult,
  TWO_FACTOR_LOGIN,
  TWO_FACTOR_REGENERATE,
  TWO_FACTOR_STEP_UP_VERIFY,
} from '../support/graphql';
import type { SoftwareAuthenticator } from '../support/passkeyAuthenticator';
import { authenticatorFor, eventsOf, passkeyLoginChallenge, userWithPasskey } from '../support/passkeyEnrolment';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { signUp } from '../support/twoFactor';

// biome-ignore lint/suspicious/noExplicitAny: WebAuthn options are whatever the server sent; the authenticator reads what it needs.
type OptionsJson = any;

const PASSKEY_SETUP = gql`
  mutation PasskeySetup($input: TwoFactorReauthenticationInput) {
    twoFactorPasskeySetup(input: $input) { factorId options }
  }
`;
const PASSKEY_ACTIVATE = gql`
  mutation PasskeyActivate($input: TwoFactorPasskeyActivateInput!) {
    twoFactorPasskeyActivate(input: $input) {
      factor { id type label backedUp transports }
      recoveryCodes
    }
  }
`;
const LOGIN_OPTIONS = gql`
  mutation PasskeyLoginOptions {
    twoFactorPasskeyLoginOptions { token expiresAt options }
  }
`;
const LOGIN_VERIFY = gql`
  mutation PasskeyLoginVerify($input: TwoFactorPasskeyLoginVerifyInput!) {
    twoFactorPasskeyLoginVerify(input: $input) { jwt user { id username } }
  }
`;
const LOGIN_WITH_PASSKEY_OPTIONS = gql`
  mutation Login($input: TwoFactorLoginInput!) {
    twoFactorLogin(input: $input) {
      __typename
      ... on TwoFactorChallenge { token methods method passkeyOptions }
    }
  }
`;
const SEND_CODE = gql`
  mutation Send($input: TwoFactorSendCodeInput!) {
    twoFactorSendCode(input: $input) { sentTo expiresAt resendAvailableAt passkeyOptions }
  }
`;
const STEP_UP_SEND = gql`
  mutation StepUpSend($input: TwoFactorStepUpSendInput!) {
    twoFactorStepUpSend(input: $input) { sentTo passkeyOptions }
  }
`;
const TOTP_SETUP = gql`
  mutation TotpSetup($input: TwoFactorReauthenticationInput) {
    twoFactorTotpSetup(input: $input) { factorId secret }
  }
`;
const TOTP_ACTIVATE = gql`
  mutation TotpActivate($input: TwoFactorActivateInput!) {
    twoFactorTotpActivate(input: $input) { factor { id type } }
  }
`;
const REMOVE_FACTOR = gql`
  mutation Remove($input: TwoFactorRemoveFactorInput!) {
    twoFactorRemoveFactor(input: $input) { factors { id type } }
  }
`;
const RENAME_FACTOR = gql`
  mutation Rename($input: TwoFactorRenameFactorInput!) {
    twoFactorRenameFactor(input: $input) { factors { id type label } }
  }
`;
const ME_WITH_PASSKEYS = gql`
  query Me {
    twoFactorMe { enabled factors { id type label backedUp transports } }
  }
`;

interface ChallengeWithPasskey {
  twoFactorLogin: { __typename: string; token: string; methods: string[]; method: string; passkeyOptions: OptionsJson };
}
interface LoginOptions {
  twoFactorPasskeyLoginOptions: { token: string; expiresAt: string; options: OptionsJson };
}
interface LoginVerify {
  twoFactorPasskeyLoginVerify: { jwt: string | null; user: { id: string; username: string } };
}
interface Activation {
  twoFactorPasskeyActivate: {
    factor: { id: string; type: string; label: string | null; backedUp: boolean | null; transports: string[] | null };
    recoveryCodes: string[] | null;
  };
}

describe(`GraphQL passkeys on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Setup and activation over GraphQL; the activation's answer. */
  async function registerOverGraphql(
    bearer: string,
    authenticator: SoftwareAuthenticator,
    reauth?: Record<string, unknown>,
    label?: string,
  ): Promise<GraphqlAnswer<Activation>> {
    const setup = await graphql<{ twoFactorPasskeySetup: { factorId: string; options: OptionsJson } }>(
      app,
      PASSKEY_SETUP,
      reauth === undefined ? {} : { input: reauth },
      { bearer },
    );
    expect(setup.errors).toEqual([]);
    const { factorId, options } = setup.data?.twoFactorPasskeySetup ?? { factorId: '', options: {} };
    expect(options.challenge).toEqual(expect.any(String));
    const response = authenticator.register(options);
    return graphql<Activation>(app, PASSKEY_ACTIVATE, { input: { factorId, response, label } }, { bearer });
  }

  /** Password step over GraphQL; the challenge, which must offer the passkey. */
  async function graphqlPasskeyChallenge(user: { username: string; password: string }) {
    const step1 = await graphql<ChallengeWithPasskey>(app, LOGIN_WITH_PASSKEY_OPTIONS, {
      input: { identifier: user.username, password: user.password },
    });
    expect(step1.errors).toEqual([]);
    const challenge = step1.data?.twoFactorLogin;
    expect(challenge?.__typename).toBe('TwoFactorChallenge');
    expect(challenge?.methods).toContain('passkey');
    expect(challenge?.passkeyOptions?.challenge).toEqual(expect.any(String));
    if (challenge === undefined) throw new Error('no challenge');
    return challenge;
  }

  const verifyPasskey = (token: string, response: unknown) =>
    graphqlVerify(app, { token, method: 'passkey', response });

  async function passwordlessOverGraphql(authenticator: SoftwareAuthenticator) {
    const started = await graphql<LoginOptions>(app, LOGIN_OPTIONS);
    expect(started.errors).toEqual([]);
    const options = started.data?.twoFactorPasskeyLoginOptions;
    if (options === undefined) throw new Error('no options');
    return { options, response: authenticator.assert(options.options) };
  }

  function expectRefused(answer: GraphqlAnswer<unknown>, code: string): void {
    expect(graphqlErrorCode(answer), JSON.stringify(answer.errors)).toBe(code);
    expect(answer.data).toBeNull();
  }

  it('should register a passkey over GraphQL, then sign in with password + passkey and passwordless', async () => {
    const user = await signUp(app, 'gpk');
    const authenticator = authenticatorFor(app);
    const activated = await registerOverGraphql(user.jwt, authenticator, undefined, 'Laptop');
    expect(activated.errors).toEqual([]);
    expect(activated.data?.twoFactorPasskeyActivate.factor).toMatchObject({
      type: 'passkey',
      label: 'Laptop',
      backedUp: false,
      transports: expect.any(Array),
    });
    expect(activated.data?.twoFactorPasskeyActivate.recoveryCodes).toHaveLength(10);

    const me = await graphql<MeResult>(app, ME_WITH_PASSKEYS, {}, { bearer: user.jwt });
    expect(me.data?.twoFactorMe.factors.map((factor) => factor.type)).toEqual(['passkey']);

    // Password, then the passkey, over GraphQL.
    const challenge = await graphqlPasskeyChallenge(user);
    const verified = await verifyPasskey(challenge.token, authenticator.assert(challenge.passkeyOptions));
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.user.username).toBe(user.username);
    const jwt = verified.data?.twoFactorVerify.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt })).status).toBe(200);

    // Passwordless, over GraphQL.
    const { options, response } = await passwordlessOverGraphql(authenticator);
    expect(options.options.allowCredentials ?? []).toEqual([]);
    const signedIn = await graphql<LoginVerify>(app, LOGIN_VERIFY, { input: { token: options.token, response } });
    expect(signedIn.errors).toEqual([]);
    expect(signedIn.data?.twoFactorPasskeyLoginVerify.user.username).toBe(user.username);
    const passwordlessJwt = signedIn.data?.twoFactorPasskeyLoginVerify.jwt ?? '';
    expect((await app.http.get('/api/users/me', { jwt: passwordlessJwt })).status).toBe(200);
  });

  it('should finish over GraphQL a passkey challenge opened over REST', async () => {
    const user = await userWithPasskey(app);
    const challenge = await passkeyLoginChallenge(app, user);
    const verified = await verifyPasskey(challenge.token, user.authenticator.assert(challenge.passkeyOptions));
    expect(verified.errors).toEqual([]);
    expect(verified.data?.twoFactorVerify.jwt).toEqual(expect.any(String));
  });

  it('should renew the passkey options with twoFactorSendCode(method: "passkey")', async () => {
    const user = await userWithPasskey(app);
    const challenge = await graphqlPasskeyChallenge(user);
    const sent = await graphql<{ twoFactorSendCode: { sentTo: null; expiresAt: string; passkeyOptions: OptionsJson } }>(
      app,
      SEND_CODE,
      { input: { token: challenge.token, method: 'passkey' } },
    );
    expect(sent.errors).toEqual([]);
    const renewed = sent.data?.twoFactorSendCode;
    expect(renewed?.sentTo).toBeNull();
    expect(renewed?.passkeyOptions.challenge).not.toBe(challenge.passkeyOptions.challenge);
    // The first options' challenge was replaced: only the new one signs in.
    expectRefused(
      await verifyPasskey(challenge.token, user.authenticator.assert(challenge.passkeyOptions)),
      'INVALID_PASSKEY',
    );
    const verified = await verifyPasskey(challenge.token, user.authenticator.assert(renewed?.passkeyOptions));
    expect(verified.errors).toEqual([]);
  });

  it('should refuse a tampered signature and an unknown credential alike with INVALID_PASSKEY', async () => {
    const user = await userWithPasskey(app);
    const tampered = await graphqlPasskeyChallenge(user);
    const bad = await verifyPasskey(
      tampered.token,
      user.authenticator.assert(tampered.passkeyOptions, { tamperSignature: true }),
    );
    expectRefused(bad, 'INVALID_PASSKEY');
    const stray = await graphqlPasskeyChallenge(user);
    const unknown = await verifyPasskey(
      stray.token,
      user.authenticator.assert(stray.passkeyOptions, { credential: user.authenticator.strayCredential() }),
    );
    expectRefused(unknown, 'INVALID_PASSKEY');
    expect(unknown.errors[0]?.extensions?.error).toEqual(bad.errors[0]?.extensions?.error);

    // Passwordless: an unknown credential is INVALID_PASSKEY too.
    const { options } = await passwordlessOverGraphql(user.authenticator);
    const strayResponse = user.authenticator.assert(options.options, {
      credential: user.authenticator.strayCredential(),
    });
    expectRefused(
      await graphql(app, LOGIN_VERIFY, { input: { token: options.token, response: strayResponse } }),
      'INVALID_PASSKEY',
    );
  });

  it('should refuse a sign counter that did not go up with PASSKEY_COUNTER_REPLAYED', async () => {
    const user = await userWithPasskey(app);
    // Counter 1 at registration, 2 at this sign-in.
    const first = await graphqlPasskeyChallenge(user);
    expect((await verifyPasskey(first.token, user.authenticator.assert(first.passkeyOptions))).errors).toEqual([]);
    const cloned = await graphqlPasskeyChallenge(user);
    expectRefused(
      await verifyPasskey(cloned.token, user.authenticator.assert(cloned.passkeyOptions, { counter: 2 })),
      'PASSKEY_COUNTER_REPLAYED',
    );
    expect(await eventsOf(app, user.id, 'passkey.cloned')).toHaveLength(1);
  });

  it('should give exactly one jwt to 10 parallel twoFactorPasskeyLoginVerify of one assertion', async () => {
    const user = await userWithPasskey(app, { counts: false });
    const { options, response } = await passwordlessOverGraphql(user.authenticator);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        graphql<LoginVerify>(app, LOGIN_VERIFY, { input: { token: options.token, response } }),
      ),
    );
    const jwts = answers.filter((answer) => typeof answer.data?.twoFactorPasskeyLoginVerify.jwt === 'string');
    expect(jwts, JSON.stringify(answers.map((answer) => graphqlErrorCode(answer) ?? 'ok'))).toHaveLength(1);
    for (const answer of answers.filter((a) => a.errors.length > 0))
      expect(['CHALLENGE_USED', 'TOO_MANY_ATTEMPTS']).toContain(graphqlErrorCode(answer));
  });

  it('should take a passkey as the re-authentication of step-up, setup, regeneration and removal', async () => {
    const user = await userWithPasskey(app);
    const bearer = user.jwt;
    const reauth = async (): Promise<{ method: 'passkey'; response: unknown }> => {
      const sent = await graphql<{ twoFactorStepUpSend: { sentTo: null; passkeyOptions: OptionsJson } }>(
        app,
        STEP_UP_SEND,
        { input: { method: 'passkey' } },
        { bearer },
      );
      expect(sent.errors).toEqual([]);
      expect(sent.data?.twoFactorStepUpSend.sentTo).toBeNull();
      return { method: 'passkey', response: user.authenticator.assert(sent.data?.twoFactorStepUpSend.passkeyOptions) };
    };

    const steppedUp = await graphql<{ twoFactorStepUpVerify: { jwt: string } }>(
      app,
      TWO_FACTOR_STEP_UP_VERIFY,
      { input: await reauth() },
      { bearer },
    );
    expect(steppedUp.errors).toEqual([]);
    expect(steppedUp.data?.twoFactorStepUpVerify.jwt).toEqual(expect.any(String));

    // Adding a factor next to the passkey needs it; without it REAUTHENTICATION_REQUIRED.
    expectRefused(await graphql(app, TOTP_SETUP, {}, { bearer }), 'REAUTHENTICATION_REQUIRED');
    const totp = await graphql<{ twoFactorTotpSetup: { factorId: string; secret: string } }>(
      app,
      TOTP_SETUP,
      { input: await reauth() },
      { bearer },
    );
    expect(totp.errors).toEqual([]);
    moveToMidStep(app, 1);
    const secret = totp.data?.twoFactorTotpSetup.secret ?? '';
    const activated = await graphql(
      app,
      TOTP_ACTIVATE,
      { input: { factorId: totp.data?.twoFactorTotpSetup.factorId, code: authenticatorCode(secret, pluginStep(app)) } },
      { bearer },
    );
    expect(activated.errors).toEqual([]);

    // A second passkey, re-authenticated with the first.
    const second = await registerOverGraphql(bearer, authenticatorFor(app), await reauth());
    expect(second.errors).toEqual([]);
    expect(second.data?.twoFactorPasskeyActivate.recoveryCodes).toBeNull();

    const regenerated = await graphql<{ twoFactorRegenerateRecoveryCodes: { recoveryCodes: string[] } }>(
      app,
      TWO_FACTOR_REGENERATE,
      { input: await reauth() },
      { bearer },
    );
    expect(regenerated.errors).toEqual([]);
    expect(regenerated.data?.twoFactorRegenerateRecoveryCodes.recoveryCodes).toHaveLength(10);

    // A tampered assertion is no re-authentication.
    const sent = await reauth();
    const tampered = {
      ...sent,
      response: user.authenticator.assert(
        (
          await graphql<{ twoFactorStepUpSend: { passkeyOptions: OptionsJson } }>(
            app,
            STEP_UP_SEND,
            { input: { method: 'passkey' } },
            { bearer },
          )
        ).data?.twoFactorStepUpSend.passkeyOptions,
        { tamperSignature: true },
      ),
    };
    expectRefused(
      await graphql(app, REMOVE_FACTOR, { input: { factorId: String(user.factorId), ...tampered } }, { bearer }),
      'INVALID_PASSKEY',
    );
    const removed = await graphql<{ twoFactorRemoveFactor: { factors: { id: string; type: string }[] } }>(
      app,
      REMOVE_FACTOR,
      { input: { factorId: String(user.factorId), ...(await reauth()) } },
      { bearer },
    );
    expect(removed.errors).toEqual([]);
    expect(removed.data?.twoFactorRemoveFactor.factors.map((factor) => factor.id)).not.toContain(String(user.factorId));
  });

  it('should rename a passkey with twoFactorRenameFactor', async () => {
    const user = await userWithPasskey(app);
    const renamed = await graphql<{ twoFactorRenameFactor: { factors: { id: string; label: string | null }[] } }>(
      app,
      RENAME_FACTOR,
      { input: { factorId: String(user.factorId), label: 'Work key' } },
      { bearer: user.jwt },
    );
    expect(renamed.errors).toEqual([]);
    expect(renamed.data?.twoFactorRenameFactor.factors).toEqual([
      expect.objectContaining({ id: String(user.factorId), label: 'Work key' }),
    ]);
    const stranger = await signUp(app);
    const refused = await graphql(
      app,
      RENAME_FACTOR,
      { input: { factorId: String(user.factorId), label: 'Mine now' } },
      { bearer: stranger.jwt },
    );
    expect(graphqlErrorCode(refused)).toBe('NOT_FOUND');
    expect(refused.errors[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('should list the passkey operations and JSON fields in introspection', async () => {
    const schema = await graphqlRequest<{
      __schema: {
        mutationType: { fields: { name: string }[] };
        types: { name: string; fields: { name: string }[] | null; inputFields: { name: string }[] | null }[];
      };
    }>(
      app,
      gql`
      query {
        __schema {
          mutationType { fields { name } }
          types { name fields { name } inputFields { name } }
        }
      }
    `,
    );
    expect(schema.__schema.mutationType.fields.map((field) => field.name)).toEqual(
      expect.arrayContaining([
        'twoFactorPasskeySetup',
        'twoFactorPasskeyActivate',
        'twoFactorPasskeyLoginOptions',
        'twoFactorPasskeyLoginVerify',
        'twoFactorRenameFactor',
      ]),
    );
    const type = (name: string) => schema.__schema.types.find((t) => t.name === name);
    const names = (fields: { name: string }[] | null | undefined) => (fields ?? []).map((field) => field.name).sort();
    expect(names(type('TwoFactorChallenge')?.fields)).toContain('passkeyOptions');
    expect(names(type('TwoFactorVerifyInput')?.inputFields)).toContain('response');
    expect(names(type('TwoFactorPasskeyLoginVerifyInput')?.inputFields)).toEqual(['deviceId', 'response', 'token']);
    for (const reauthInput of [
      'TwoFactorReauthenticationInput',
      'TwoFactorSmsSetupInput',
      'TwoFactorRemoveFactorInput',
      'TwoFactorRegenerateRecoveryCodesInput',
      'TwoFactorStepUpVerifyInput',
    ])
      expect(names(type(reauthInput)?.inputFields), reauthInput).toContain('response');
  });

  it('should let an enrolment token register a passkey over GraphQL and finish the sign-in', async () => {
    const settings = app.strapi.plugin('two-factor').service('settings');
    const policy = settings.policy();
    const user = await signUp(app);
    await settings.updatePolicy({ ...policy, mode: 'required' }, 'test');
    try {
      const step1 = await graphql<LoginResult>(app, TWO_FACTOR_LOGIN, {
        input: { identifier: user.username, password: user.password },
      });
      expect(step1.data?.twoFactorLogin.__typename).toBe('TwoFactorEnrollment');
      const token = step1.data?.twoFactorLogin.token ?? '';
      const activated = await graphql<Activation & { twoFactorPasskeyActivate: { jwt?: string } }>(
        app,
        gql`
          mutation Activate($input: TwoFactorPasskeyActivateInput!) {
            twoFactorPasskeyActivate(input: $input) { factor { type } recoveryCodes jwt }
          }
        `,
        {
          input: await (async () => {
            const setup = await graphql<{ twoFactorPasskeySetup: { factorId: string; options: OptionsJson } }>(
              app,
              PASSKEY_SETUP,
              {},
              { bearer: token },
            );
            expect(setup.errors).toEqual([]);
            return {
              factorId: setup.data?.twoFactorPasskeySetup.factorId,
              response: authenticatorFor(app).register(setup.data?.twoFactorPasskeySetup.options),
            };
          })(),
        },
        { bearer: token },
      );
      expect(activated.errors).toEqual([]);
      expect(activated.data?.twoFactorPasskeyActivate.jwt).toEqual(expect.any(String));
    } finally {
      await settings.updatePolicy(policy, 'test');
    }
  });

  it('should answer odd response JSON with client errors, never INTERNAL_SERVER_ERROR', async () => {
    const user = await userWithPasskey(app);
    const challenge = await graphqlPasskeyChallenge(user);
    const good = user.authenticator.assert(challenge.passkeyOptions);
    const odd: unknown[] = [
      'x',
      42,
      true,
      [],
      [good],
      {},
      { id: 1 },
      { id: good.id },
      { ...good, type: 'password' },
      { ...good, rawId: 'not base64url!' },
      { ...good, response: 'x' },
      { ...good, response: { ...good.response, clientDataJSON: '!!' } },
      { ...good, response: { ...good.response, clientDataJSON: Buffer.from('{').toString('base64url') } },
      { ...good, response: { ...good.response, authenticatorData: '' } },
      { ...good, response: { ...good.response, signature: 'AAAA' } },
      { ...good, response: { ...good.response, userHandle: 42 } },
      { ...good, id: 'x'.repeat(10_000), rawId: 'x'.repeat(10_000) },
      { __proto__: { id: good.id }, constructor: 'x' },
    ];
    const failures: string[] = [];
    for (const [index, response] of odd.entries()) {
      // Fresh passwordless options each time, so each value meets the verifier, not a spent cap.
      const fresh = (await passwordlessOverGraphql(user.authenticator)).options;
      for (const [name, answer] of [
        ['twoFactorVerify', await verifyPasskey(challenge.token, response)],
        ['twoFactorPasskeyLoginVerify', await graphql(app, LOGIN_VERIFY, { input: { token: fresh.token, response } })],
      ] as const) {
        const internal =
          answer.status >= 500 || answer.errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
        if (internal || answer.errors.length === 0)
          failures.push(`#${index} ${name}: ${JSON.stringify(answer.errors)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
