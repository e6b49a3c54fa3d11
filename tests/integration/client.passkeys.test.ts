import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTwoFactorClient,
  type PasskeyAuthenticator,
  type RegistrationResponseJSON,
  TwoFactorApiError,
  type TwoFactorClient,
} from '../../packages/client/src';
import { jwtPayload } from '../support/assurance';
import type { SoftwareAuthenticator } from '../support/passkeyAuthenticator';
import { authenticatorFor } from '../support/passkeyEnrolment';
import { signUp, travel } from '../support/twoFactor';

/**
 * The client's passkey calls against the real app, with the `passkeys` option a React Native
 * app would fill with a native module: here the tests' software authenticator (ES256, CBOR,
 * written from the WebAuthn and CTAP2 specs), so the server verifies real signatures.
 */
describe(`the client's passkey calls on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Makes passkeys with `creator` and signs with `signer` (the same one unless a test swaps them). */
  function nativeModule(holder: {
    creator: SoftwareAuthenticator;
    signer: SoftwareAuthenticator;
  }): PasskeyAuthenticator {
    return {
      create: async (options) => holder.creator.register(options) as RegistrationResponseJSON,
      get: async (options) => holder.signer.assert(options),
    };
  }

  interface PasskeyClient {
    client: TwoFactorClient;
    user: Awaited<ReturnType<typeof signUp>>;
    holder: { creator: SoftwareAuthenticator; signer: SoftwareAuthenticator };
    /** Request paths the client sent, in order. */
    sent: string[];
  }

  /** A signed-up user whose client holds their jwt and a software authenticator as its passkeys module. */
  async function passkeyClient(): Promise<PasskeyClient> {
    const user = await signUp(app, 'clientpk');
    const authenticator = authenticatorFor(app);
    const holder = { creator: authenticator, signer: authenticator };
    const sent: string[] = [];
    const client = createTwoFactorClient({
      baseUrl: app.url,
      jwt: user.jwt,
      passkeys: nativeModule(holder),
      fetch: (input, init) => {
        sent.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
    return { client, user, holder, sent };
  }

  /** A user whose first factor is a passkey added through the client. */
  async function withPasskey(): Promise<PasskeyClient & { factorId: number }> {
    const context = await passkeyClient();
    const activation = await context.client.activatePasskey({
      ...(await context.client.setupPasskey()),
      label: 'Test phone',
    });
    return { ...context, factorId: activation.factor.id };
  }

  it('should add a passkey with setupPasskey and activatePasskey, and list it with its label', async () => {
    const { client, sent } = await passkeyClient();
    const created = await client.setupPasskey();
    expect(created).toEqual({
      factorId: expect.any(Number),
      response: expect.objectContaining({ type: 'public-key' }),
    });
    const activation = await client.activatePasskey({ ...created, label: 'Test phone' });
    expect(activation.factor).toMatchObject({ id: created.factorId, type: 'passkey', label: 'Test phone' });
    // The first factor comes with the recovery codes, shown once.
    expect(activation.recoveryCodes).toHaveLength(10);
    const status = await client.me();
    expect(status.factors).toEqual([
      expect.objectContaining({ id: created.factorId, type: 'passkey', label: 'Test phone', backedUp: false }),
    ]);
    expect(sent).toEqual(['/api/two-factor/passkey/setup', '/api/two-factor/passkey/activate', '/api/two-factor/me']);
  });

  it('should pass step 2 with the challenge’s passkeyOptions and keep the session', async () => {
    const { user, holder } = await withPasskey();
    const client = createTwoFactorClient({ baseUrl: app.url, passkeys: nativeModule(holder) });
    const result = await client.signIn({ identifier: user.username, password: user.password });
    if (result.kind !== 'challenge') throw new Error(`Expected a challenge, got ${result.kind}`);
    expect(result.challenge.methods).toContain('passkey');
    const { token, passkeyOptions } = result.challenge;
    if (passkeyOptions === undefined) throw new Error('The challenge carries no passkeyOptions');
    const session = await client.verifyChallenge({ token, method: 'passkey', passkeyOptions });
    expect(session.user.id).toBe(user.id);
    expect(client.getAccessToken()).toBe(session.jwt);
    // A device-bound passkey after the password (RFC 8176 `hwk`): AAL2.
    expect(jwtPayload(session.jwt)).toMatchObject({ aal: 2, amr: expect.arrayContaining(['pwd', 'hwk', 'mfa']) });
  });

  it('should sign in with a passkey alone and keep the session', async () => {
    const { user, holder } = await withPasskey();
    const client = createTwoFactorClient({ baseUrl: app.url, passkeys: nativeModule(holder) });
    expect(client.getAccessToken()).toBeNull();
    const session = await client.signInWithPasskey();
    expect(session.user.id).toBe(user.id);
    expect(client.getAccessToken()).toBe(session.jwt);
    expect(jwtPayload(session.jwt)).toMatchObject({ aal: 2, amr: expect.arrayContaining(['hwk']) });
    expect((await client.me()).factors.map((factor) => factor.type)).toEqual(['passkey']);
  });

  it('should add a second passkey and remove it, each change confirmed with a passkey', async () => {
    const { client, holder, factorId } = await withPasskey();
    // The phone confirms it's the user; a security key makes the new passkey.
    holder.creator = authenticatorFor(app);
    const second = await client.activatePasskey({
      ...(await client.setupPasskey({ reauth: await client.reauthenticateWithPasskey() })),
      label: 'Security key',
    });
    expect((await client.me()).factors.map((factor) => factor.label)).toEqual(['Test phone', 'Security key']);
    const status = await client.removeFactor({
      factorId: second.factor.id,
      ...(await client.reauthenticateWithPasskey()),
    });
    expect(status.factors.map((factor) => factor.id)).toEqual([factorId]);
  });

  it('should step up with a passkey: a new jwt at AAL2 with a fresh auth_time', async () => {
    const { client, user } = await withPasskey();
    // The sign-up's token: Strapi's own, read as AAL1.
    expect(jwtPayload(user.jwt).aal).toBeUndefined();
    const { jwt } = await client.stepUp(await client.reauthenticateWithPasskey());
    expect(client.getAccessToken()).toBe(jwt);
    expect(jwtPayload(jwt)).toMatchObject({ aal: 2, auth_time: expect.any(Number) });
  });

  it('should renew a sign-in’s passkey options after its WebAuthn challenge ran out, and pass with them', async () => {
    const { user, holder } = await withPasskey();
    const client = createTwoFactorClient({ baseUrl: app.url, passkeys: nativeModule(holder) });
    const result = await client.signIn({ identifier: user.username, password: user.password });
    if (result.kind !== 'challenge' || result.challenge.passkeyOptions === undefined) throw new Error('No challenge');
    const { token, passkeyOptions } = result.challenge;
    // Past the WebAuthn challenge's 5 minutes, within the sign-in's 10.
    travel(app, 6 * 60);
    const expired = await client
      .verifyChallenge({ token, method: 'passkey', passkeyOptions })
      .catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(TwoFactorApiError);
    expect((expired as TwoFactorApiError).code).toBe('PASSKEY_CHALLENGE_EXPIRED');
    const renewed = await client.renewPasskeyOptions({ token });
    expect(renewed.passkeyOptions.challenge).not.toBe(passkeyOptions.challenge);
    const session = await client.verifyChallenge({ token, method: 'passkey', passkeyOptions: renewed.passkeyOptions });
    expect(session.user.id).toBe(user.id);
  });

  it('should rename a passkey', async () => {
    const { client, factorId } = await withPasskey();
    const status = await client.renameFactor({ factorId, label: 'Old phone' });
    expect(status.factors).toEqual([expect.objectContaining({ id: factorId, label: 'Old phone' })]);
  });

  it('should let the authenticator’s refusal through and send nothing to verify', async () => {
    const { user, holder } = await withPasskey();
    const sent: string[] = [];
    const cancelled = new Error('The operation either timed out or was not allowed.');
    cancelled.name = 'NotAllowedError';
    const client = createTwoFactorClient({
      baseUrl: app.url,
      passkeys: { create: nativeModule(holder).create, get: () => Promise.reject(cancelled) },
      fetch: (input, init) => {
        sent.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
    await expect(client.signInWithPasskey()).rejects.toBe(cancelled);
    const result = await client.signIn({ identifier: user.username, password: user.password });
    if (result.kind !== 'challenge' || result.challenge.passkeyOptions === undefined) throw new Error('No challenge');
    await expect(
      client.verifyChallenge({
        token: result.challenge.token,
        method: 'passkey',
        passkeyOptions: result.challenge.passkeyOptions,
      }),
    ).rejects.toBe(cancelled);
    expect(sent).toEqual(['/api/two-factor/passkey/login/options', '/api/auth/local']);
    expect(client.getAccessToken()).toBeNull();
  });
});
