import { describe, expect, it } from 'vitest';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '../contract';
import { base64UrlToBuffer } from './base64url';
import {
  type AssertedCredential,
  authenticationToJSON,
  type CreatedCredential,
  creationOptionsFromJSON,
  registrationToJSON,
  requestOptionsFromJSON,
} from './webAuthnJson';

const bytes = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;
const bytesOf = (value: BufferSource | undefined): number[] =>
  value instanceof ArrayBuffer ? [...new Uint8Array(value)] : [];
const base64url = (...values: number[]): string => Buffer.from(values).toString('base64url');

/** As @simplewebauthn/server's generateRegistrationOptions writes them. */
const CREATION_OPTIONS: PublicKeyCredentialCreationOptionsJSON = {
  rp: { id: 'localhost', name: 'Example' },
  user: { id: base64url(0xde, 0xad, 0xbe, 0xef), name: 'alice', displayName: 'alice' },
  challenge: base64url(0xfb, 0xff, 0x00, 0x01, 0x02),
  pubKeyCredParams: [
    { type: 'public-key', alg: -8 },
    { type: 'public-key', alg: -7 },
    { type: 'public-key', alg: -257 },
  ],
  timeout: 60_000,
  excludeCredentials: [{ id: base64url(1, 2, 3), type: 'public-key', transports: ['internal', 'hybrid'] }],
  authenticatorSelection: { residentKey: 'preferred', userVerification: 'required', requireResidentKey: false },
  attestation: 'none',
  extensions: { credProps: true },
  hints: ['client-device'],
};

describe('WebAuthn JSON ⇄ browser objects', () => {
  it('should decode the creation options’ challenge, user id and excluded credential ids to bytes', () => {
    const options = creationOptionsFromJSON(CREATION_OPTIONS);
    expect(bytesOf(options.challenge)).toEqual([0xfb, 0xff, 0x00, 0x01, 0x02]);
    expect(bytesOf(options.user.id)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(options.user.name).toBe('alice');
    expect(options.excludeCredentials?.map((credential) => bytesOf(credential.id))).toEqual([[1, 2, 3]]);
    expect(options.excludeCredentials?.[0]?.transports).toEqual(['internal', 'hybrid']);
  });

  it('should pass the creation options’ other fields through unchanged', () => {
    const options = creationOptionsFromJSON(CREATION_OPTIONS);
    expect(options.rp).toEqual({ id: 'localhost', name: 'Example' });
    expect(options.pubKeyCredParams.map((parameter) => parameter.alg)).toEqual([-8, -7, -257]);
    expect(options.timeout).toBe(60_000);
    expect(options.authenticatorSelection).toEqual(CREATION_OPTIONS.authenticatorSelection);
    expect(options.attestation).toBe('none');
    expect(options.extensions).toEqual({ credProps: true });
    expect((options as { hints?: string[] }).hints).toEqual(['client-device']);
  });

  it('should leave out of the creation options what the server left out', () => {
    const { timeout, excludeCredentials, authenticatorSelection, attestation, extensions, hints, ...minimal } =
      CREATION_OPTIONS;
    expect(Object.keys(creationOptionsFromJSON(minimal)).sort()).toEqual([
      'challenge',
      'pubKeyCredParams',
      'rp',
      'user',
    ]);
  });

  it('should decode the request options’ challenge and allowed credential ids, keeping rpId and user verification', () => {
    const json: PublicKeyCredentialRequestOptionsJSON = {
      challenge: base64url(9, 8, 7),
      rpId: 'localhost',
      timeout: 60_000,
      userVerification: 'required',
      allowCredentials: [
        { id: base64url(4, 5), type: 'public-key', transports: ['internal'] },
        { id: base64url(6), type: 'public-key' },
      ],
    };
    const options = requestOptionsFromJSON(json);
    expect(bytesOf(options.challenge)).toEqual([9, 8, 7]);
    expect(options.rpId).toBe('localhost');
    expect(options.userVerification).toBe('required');
    expect(options.timeout).toBe(60_000);
    expect(options.allowCredentials?.map((credential) => bytesOf(credential.id))).toEqual([[4, 5], [6]]);
    expect(options.allowCredentials?.[0]?.transports).toEqual(['internal']);
    expect('transports' in (options.allowCredentials?.[1] ?? {})).toBe(false);
  });

  it('should leave allowCredentials out for a passwordless sign-in (discoverable passkeys)', () => {
    const options = requestOptionsFromJSON({ challenge: base64url(1) });
    expect(options).not.toHaveProperty('allowCredentials');
  });

  it('should encode a new credential as RegistrationResponseJSON, with transports, public key and attachment', () => {
    const credential: CreatedCredential = {
      id: base64url(0xfb, 0xff),
      rawId: bytes(0xfb, 0xff),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      getClientExtensionResults: () => ({ credProps: { rk: true } }),
      response: {
        clientDataJSON: new TextEncoder().encode('{"type":"webauthn.create"}').buffer,
        attestationObject: bytes(0xa3, 0x63),
        getTransports: () => ['internal'],
        getAuthenticatorData: () => bytes(0x49, 0x96),
        getPublicKey: () => bytes(0x30, 0x59),
        getPublicKeyAlgorithm: () => -7,
      },
    };
    expect(registrationToJSON(credential)).toEqual({
      id: '-_8',
      rawId: '-_8',
      type: 'public-key',
      response: {
        clientDataJSON: Buffer.from('{"type":"webauthn.create"}').toString('base64url'),
        attestationObject: base64url(0xa3, 0x63),
        transports: ['internal'],
        authenticatorData: base64url(0x49, 0x96),
        publicKeyAlgorithm: -7,
        publicKey: base64url(0x30, 0x59),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
    });
  });

  it('should encode a new credential from a browser without the newer getters', () => {
    const json = registrationToJSON({
      id: base64url(1),
      rawId: bytes(1),
      type: 'public-key',
      authenticatorAttachment: null,
      getClientExtensionResults: () => ({}),
      response: { clientDataJSON: bytes(2), attestationObject: bytes(3) },
    });
    expect(json.response).toEqual({ clientDataJSON: base64url(2), attestationObject: base64url(3) });
    expect(json).not.toHaveProperty('authenticatorAttachment');
  });

  it('should encode an assertion as AuthenticationResponseJSON, with the user handle', () => {
    const credential: AssertedCredential = {
      id: base64url(7, 7),
      rawId: bytes(7, 7),
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      getClientExtensionResults: () => ({}),
      response: {
        clientDataJSON: bytes(1, 2),
        authenticatorData: bytes(3, 4),
        signature: bytes(5, 6),
        userHandle: bytes(0xde, 0xad),
      },
    };
    expect(authenticationToJSON(credential)).toEqual({
      id: base64url(7, 7),
      rawId: base64url(7, 7),
      type: 'public-key',
      response: {
        clientDataJSON: base64url(1, 2),
        authenticatorData: base64url(3, 4),
        signature: base64url(5, 6),
        userHandle: base64url(0xde, 0xad),
      },
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: {},
    });
  });

  it('should leave the user handle out when the authenticator gave none', () => {
    const json = authenticationToJSON({
      id: base64url(1),
      rawId: bytes(1),
      type: 'public-key',
      getClientExtensionResults: () => ({}),
      response: { clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: null },
    });
    expect(json.response).not.toHaveProperty('userHandle');
  });

  it('should round-trip an id through the JSON forms byte for byte', () => {
    const id = base64url(...Array.from({ length: 64 }, (_, index) => (index * 37) % 256));
    const options = requestOptionsFromJSON({ challenge: id, allowCredentials: [{ id, type: 'public-key' }] });
    expect(Buffer.from(base64UrlToBuffer(id)).equals(Buffer.from(options.challenge as ArrayBuffer))).toBe(true);
  });
});
