import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportName,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../contract';
import { base64UrlToBuffer, bufferToBase64Url } from './base64url';

/**
 * The conversions between WebAuthn's JSON forms (what the server sends and takes) and the
 * binary objects of `navigator.credentials`. Written against the shapes, not the DOM
 * classes, so they run (and are tested) wherever those classes do not exist. Chromium's
 * `PublicKeyCredential.parseCreationOptionsFromJSON` / `toJSON()` do the same, but not in
 * every browser the client supports.
 */

function descriptorFromJSON(descriptor: PublicKeyCredentialDescriptorJSON): PublicKeyCredentialDescriptor {
  const converted: PublicKeyCredentialDescriptor = { type: descriptor.type, id: base64UrlToBuffer(descriptor.id) };
  if (descriptor.transports !== undefined) converted.transports = descriptor.transports as AuthenticatorTransport[];
  return converted;
}

/** `PublicKeyCredentialCreationOptionsJSON` → what `navigator.credentials.create({ publicKey })` takes. */
export function creationOptionsFromJSON(
  options: PublicKeyCredentialCreationOptionsJSON,
): PublicKeyCredentialCreationOptions {
  const converted: PublicKeyCredentialCreationOptions = {
    rp: options.rp,
    user: { ...options.user, id: base64UrlToBuffer(options.user.id) },
    challenge: base64UrlToBuffer(options.challenge),
    pubKeyCredParams: options.pubKeyCredParams,
  };
  if (options.timeout !== undefined) converted.timeout = options.timeout;
  if (options.excludeCredentials !== undefined) {
    converted.excludeCredentials = options.excludeCredentials.map(descriptorFromJSON);
  }
  if (options.authenticatorSelection !== undefined) converted.authenticatorSelection = options.authenticatorSelection;
  if (options.attestation !== undefined) converted.attestation = options.attestation;
  if (options.extensions !== undefined) {
    converted.extensions = options.extensions as AuthenticationExtensionsClientInputs;
  }
  // `hints` is newer than TypeScript's DOM types; browsers that do not know it ignore it.
  if (options.hints !== undefined) Object.assign(converted, { hints: options.hints });
  return converted;
}

/** `PublicKeyCredentialRequestOptionsJSON` → what `navigator.credentials.get({ publicKey })` takes. */
export function requestOptionsFromJSON(
  options: PublicKeyCredentialRequestOptionsJSON,
): PublicKeyCredentialRequestOptions {
  const converted: PublicKeyCredentialRequestOptions = { challenge: base64UrlToBuffer(options.challenge) };
  if (options.timeout !== undefined) converted.timeout = options.timeout;
  if (options.rpId !== undefined) converted.rpId = options.rpId;
  if (options.allowCredentials !== undefined) {
    converted.allowCredentials = options.allowCredentials.map(descriptorFromJSON);
  }
  if (options.userVerification !== undefined) converted.userVerification = options.userVerification;
  if (options.extensions !== undefined) {
    converted.extensions = options.extensions as AuthenticationExtensionsClientInputs;
  }
  if (options.hints !== undefined) Object.assign(converted, { hints: options.hints });
  return converted;
}

/** What a `PublicKeyCredential` from `create()` offers; the optional getters are missing in older browsers. */
export interface CreatedCredential {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  getClientExtensionResults(): unknown;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject: ArrayBuffer;
    getTransports?: () => string[];
    getAuthenticatorData?: () => ArrayBuffer;
    getPublicKey?: () => ArrayBuffer | null;
    getPublicKeyAlgorithm?: () => number;
  };
}

/** What a `PublicKeyCredential` from `get()` offers. */
export interface AssertedCredential {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  getClientExtensionResults(): unknown;
  response: {
    clientDataJSON: ArrayBuffer;
    authenticatorData: ArrayBuffer;
    signature: ArrayBuffer;
    userHandle: ArrayBuffer | null;
  };
}

function attachment(value: string | null | undefined): 'platform' | 'cross-platform' | undefined {
  return value === 'platform' || value === 'cross-platform' ? value : undefined;
}

function extensionResults(credential: { getClientExtensionResults(): unknown }): Record<string, unknown> {
  const results = credential.getClientExtensionResults();
  return typeof results === 'object' && results !== null ? { ...(results as Record<string, unknown>) } : {};
}

/** A credential from `navigator.credentials.create` → the `RegistrationResponseJSON` `passkey/activate` takes. */
export function registrationToJSON(credential: CreatedCredential): RegistrationResponseJSON {
  const { response } = credential;
  const json: RegistrationResponseJSON = {
    id: credential.id,
    rawId: bufferToBase64Url(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: bufferToBase64Url(response.clientDataJSON),
      attestationObject: bufferToBase64Url(response.attestationObject),
    },
    clientExtensionResults: extensionResults(credential),
  };
  // Transports let the server hint, later, how to reach this authenticator (allowCredentials).
  if (typeof response.getTransports === 'function') {
    json.response.transports = response.getTransports() as AuthenticatorTransportName[];
  }
  if (typeof response.getAuthenticatorData === 'function') {
    json.response.authenticatorData = bufferToBase64Url(response.getAuthenticatorData());
  }
  if (typeof response.getPublicKeyAlgorithm === 'function') {
    json.response.publicKeyAlgorithm = response.getPublicKeyAlgorithm();
  }
  if (typeof response.getPublicKey === 'function') {
    const publicKey = response.getPublicKey();
    if (publicKey !== null) json.response.publicKey = bufferToBase64Url(publicKey);
  }
  const kind = attachment(credential.authenticatorAttachment);
  if (kind !== undefined) json.authenticatorAttachment = kind;
  return json;
}

/** A credential from `navigator.credentials.get` → the `AuthenticationResponseJSON` the server verifies. */
export function authenticationToJSON(credential: AssertedCredential): AuthenticationResponseJSON {
  const { response } = credential;
  const json: AuthenticationResponseJSON = {
    id: credential.id,
    rawId: bufferToBase64Url(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: bufferToBase64Url(response.clientDataJSON),
      authenticatorData: bufferToBase64Url(response.authenticatorData),
      signature: bufferToBase64Url(response.signature),
    },
    clientExtensionResults: extensionResults(credential),
  };
  // The user handle tells a passwordless sign-in whose passkey answered.
  if (response.userHandle !== null && response.userHandle.byteLength > 0) {
    json.response.userHandle = bufferToBase64Url(response.userHandle);
  }
  const kind = attachment(credential.authenticatorAttachment);
  if (kind !== undefined) json.authenticatorAttachment = kind;
  return json;
}
