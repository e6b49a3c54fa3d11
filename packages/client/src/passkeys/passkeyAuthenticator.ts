import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../contract';
import { PasskeysUnavailableError } from './passkeysUnavailableError';
import {
  type AssertedCredential,
  authenticationToJSON,
  type CreatedCredential,
  creationOptionsFromJSON,
  registrationToJSON,
  requestOptionsFromJSON,
} from './webAuthnJson';

/**
 * What makes and uses passkeys for the client, in WebAuthn's JSON forms. The browser's
 * `navigator.credentials` by default; in React Native, wrap a native passkey module (they
 * speak these same JSON forms) and pass it as the client's `passkeys` option.
 */
export interface PasskeyAuthenticator {
  /** Makes a passkey (`navigator.credentials.create`). */
  create(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /** Signs a challenge with a passkey (`navigator.credentials.get`). */
  get(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
}

function browserCredentials(): CredentialsContainer {
  const credentials = typeof navigator === 'undefined' ? undefined : navigator.credentials;
  if (credentials === undefined || typeof PublicKeyCredential === 'undefined') throw new PasskeysUnavailableError();
  return credentials;
}

/**
 * The browser's WebAuthn. Its errors pass through unchanged: a `DOMException` named
 * `NotAllowedError` when the user cancels or the time runs out, `InvalidStateError` when the
 * authenticator already holds one of `excludeCredentials`, `SecurityError` when the page's
 * origin does not match the RP ID.
 */
export const browserPasskeys: PasskeyAuthenticator = {
  async create(options) {
    const credential = await browserCredentials().create({ publicKey: creationOptionsFromJSON(options) });
    if (credential === null) throw new PasskeysUnavailableError('The browser made no passkey');
    return registrationToJSON(credential as unknown as CreatedCredential);
  },

  async get(options) {
    const credential = await browserCredentials().get({ publicKey: requestOptionsFromJSON(options) });
    if (credential === null) throw new PasskeysUnavailableError('The browser returned no passkey');
    return authenticationToJSON(credential as unknown as AssertedCredential);
  },
};
