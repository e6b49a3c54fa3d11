import type { FactorActivation, PasskeyLoginOptions, PasskeySetup } from '@strapi-two-factor/contract';
import type { ExampleApp, HttpResponse } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';
import {
  type AuthenticationResponseJson,
  type AuthenticatorOptions,
  type CeremonyOverrides,
  type RegistrationResponseJson,
  SoftwareAuthenticator,
} from './passkeyAuthenticator';
import type { StrapiLoginBody } from './strapiBodies';
import { type ChallengeBody, type Reauthentication, signUp } from './twoFactor';
import type { NewUser } from './users';

// biome-ignore lint/suspicious/noExplicitAny: the options JSON is whatever the server sent; the authenticator reads what it needs.
type OptionsJson = any;

/** The contract's setup answer, its options left loose for the tests to read as they please. */
export type PasskeySetupBody = Omit<PasskeySetup, 'options'> & { options: OptionsJson };

export type PasskeyActivateBody = FactorActivation;

export type PasskeyReauthentication = Reauthentication | { method: 'passkey'; response: AuthenticationResponseJson };

/** An authenticator whose pages run on the app's own origin (what the server accepts by default). */
export function authenticatorFor(app: ExampleApp, options: Partial<AuthenticatorOptions> = {}): SoftwareAuthenticator {
  return new SoftwareAuthenticator({ origin: app.url, ...options });
}

/** `passkey/setup` then the authenticator's answer; returns the activation's raw response too. */
export async function registerPasskey(
  app: ExampleApp,
  jwt: string,
  authenticator: SoftwareAuthenticator,
  options: { reauth?: PasskeyReauthentication; overrides?: CeremonyOverrides; label?: string } = {},
): Promise<{
  setup: PasskeySetupBody;
  response: RegistrationResponseJson;
  activate: HttpResponse<PasskeyActivateBody>;
}> {
  const setup = await app.http.post<PasskeySetupBody>('/api/two-factor/passkey/setup', { ...options.reauth }, { jwt });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const response = authenticator.register(setup.body.options, options.overrides);
  const activate = await app.http.post<PasskeyActivateBody>(
    '/api/two-factor/passkey/activate',
    { factorId: setup.body.factorId, response, ...(options.label === undefined ? {} : { label: options.label }) },
    { jwt },
  );
  return { setup: setup.body, response, activate };
}

/** Registers a passkey that must be accepted. */
export async function enrolPasskey(
  app: ExampleApp,
  jwt: string,
  authenticator: SoftwareAuthenticator,
  reauth?: PasskeyReauthentication,
): Promise<PasskeyActivateBody> {
  const { activate } = await registerPasskey(app, jwt, authenticator, { reauth });
  expect(activate.status, JSON.stringify(activate.body)).toBe(200);
  return activate.body;
}

export interface PasskeyUser extends NewUser {
  id: number;
  jwt: string;
  authenticator: SoftwareAuthenticator;
  factorId: number;
  credentialId: string;
}

/** A signed-up user whose first (only) factor is a passkey on a fresh authenticator. */
export async function userWithPasskey(
  app: ExampleApp,
  options: Partial<AuthenticatorOptions> = {},
): Promise<PasskeyUser> {
  const user = await signUp(app, 'pk');
  const authenticator = authenticatorFor(app, options);
  const activated = await enrolPasskey(app, user.jwt, authenticator);
  const credential = authenticator.credentials.at(-1);
  if (credential === undefined) throw new Error('No credential registered');
  return {
    ...user,
    authenticator,
    factorId: activated.factor.id,
    credentialId: credential.id.toString('base64url'),
  };
}

export interface PasskeyChallengeBody extends ChallengeBody {
  challenge: ChallengeBody['challenge'] & { passkeyOptions?: OptionsJson };
}

/** Password sign-in of a user with a passkey: the challenge, which must offer the passkey. */
export async function passkeyLoginChallenge(
  app: ExampleApp,
  user: Pick<NewUser, 'username' | 'password'>,
): Promise<PasskeyChallengeBody['challenge']> {
  const step1 = await app.http.post<PasskeyChallengeBody>('/api/auth/local', {
    identifier: user.username,
    password: user.password,
  });
  expect(step1.status, JSON.stringify(step1.body)).toBe(200);
  expect(step1.body.challenge.methods).toContain('passkey');
  expect(step1.body.challenge.passkeyOptions).toBeDefined();
  return step1.body.challenge;
}

export type PasswordlessOptionsBody = PasskeyLoginOptions;

export async function passwordlessOptions(app: ExampleApp): Promise<PasswordlessOptionsBody> {
  const started = await app.http.post<PasswordlessOptionsBody>('/api/two-factor/passkey/login/options', {});
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body;
}

export function passwordlessVerify(
  app: ExampleApp,
  token: string,
  response: unknown,
): Promise<HttpResponse<StrapiLoginBody>> {
  return app.http.post<StrapiLoginBody>('/api/two-factor/passkey/login/verify', { token, response });
}

/** `step-up/send {method: "passkey"}` and the authenticator's assertion: a re-authentication body. */
export async function passkeyReauthentication(
  app: ExampleApp,
  jwt: string,
  authenticator: SoftwareAuthenticator,
  overrides: CeremonyOverrides = {},
): Promise<{ method: 'passkey'; response: AuthenticationResponseJson }> {
  const sent = await app.http.post<{ passkeyOptions: OptionsJson }>(
    '/api/two-factor/step-up/send',
    { method: 'passkey' },
    { jwt },
  );
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return { method: 'passkey', response: authenticator.assert(sent.body.passkeyOptions, overrides) };
}

/** The plugin's audit events of `type` for a user, read from its table. */
export async function eventsOf(app: ExampleApp, userId: number, type: string): Promise<Record<string, unknown>[]> {
  return (await app.strapi.db
    .query('plugin::two-factor.event')
    .findMany({ where: { userId, type }, orderBy: { id: 'asc' } })) as Record<string, unknown>[];
}
