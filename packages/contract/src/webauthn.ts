import { z } from 'zod';

/** base64url as WebAuthn's JSON encodes binary; padding tolerated, nothing else. */
const base64url = (maxLength: number) =>
  z
    .string()
    .min(1)
    .max(maxLength)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** Bounds well above any real authenticator's, so a huge body is refused before any parsing. */
const CREDENTIAL_ID_MAX = 1366; // 1023 bytes, WebAuthn's credential ID limit, in base64url
const CLIENT_DATA_MAX = 8192;
const AUTHENTICATOR_DATA_MAX = 16_384;

const extensionResults = z.record(z.string(), z.unknown()).default({});
const attachment = z.enum(['platform', 'cross-platform']).optional();

/** A new passkey, as `passkey/activate` takes it (WebAuthn's `RegistrationResponseJSON`). */
export const registrationResponse = z.object({
  id: base64url(CREDENTIAL_ID_MAX),
  rawId: base64url(CREDENTIAL_ID_MAX),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url(CLIENT_DATA_MAX),
    attestationObject: base64url(AUTHENTICATOR_DATA_MAX),
    transports: z.array(z.string().min(1).max(32)).max(10).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: attachment,
});

/** A passkey's signed answer to a challenge (WebAuthn's `AuthenticationResponseJSON`). */
export const authenticationResponse = z.object({
  id: base64url(CREDENTIAL_ID_MAX),
  rawId: base64url(CREDENTIAL_ID_MAX),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url(CLIENT_DATA_MAX),
    authenticatorData: base64url(AUTHENTICATOR_DATA_MAX),
    signature: base64url(2048),
    userHandle: base64url(128).nullish(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: attachment,
});

/**
 * A `PublicKeyCredential`'s JSON in a request body. The body check asks only for an object;
 * its fields are checked where the ceremony is verified (`registrationResponse`,
 * `authenticationResponse`), so the error names `response.<field>`.
 */
export const credentialJson = z
  .unknown()
  .refine((value) => typeof value === 'object' && value !== null, 'is required')
  .meta({
    type: 'object',
    description: "A PublicKeyCredential's JSON (`credential.toJSON()`), base64url binary fields.",
  });

const credentialDescriptor = z.looseObject({
  id: z.string(),
  type: z.literal('public-key'),
  transports: z.array(z.string()).optional(),
});

/** WebAuthn Level 3's `PublicKeyCredentialCreationOptionsJSON`: what `navigator.credentials.create` needs. */
export const creationOptions = z.looseObject({
  rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.looseObject({ type: z.literal('public-key'), alg: z.number() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z.looseObject({}).optional(),
  hints: z.array(z.string()).optional(),
  attestation: z.string().optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});

/** WebAuthn Level 3's `PublicKeyCredentialRequestOptionsJSON`: what `navigator.credentials.get` needs. */
export const requestOptions = z.looseObject({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
  hints: z.array(z.string()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});
