import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { parseInput } from '../http/parseInput';

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

const registrationSchema = z.object({
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

const authenticationSchema = z.object({
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

/** Prefixes each issue's path with `response`, so `fields` names where in the body it was. */
function underResponse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = parseInput(z.object({ response: schema }), { response: input }) as { response: z.output<Schema> };
  return parsed.response;
}

/**
 * A `PublicKeyCredential` from `navigator.credentials.create()`, as JSON. Wrong shapes are a
 * 400 `INVALID_INPUT` (never a 500); whether it is genuine is judged later.
 */
export function parseRegistrationResponse(input: unknown): RegistrationResponseJSON {
  const parsed = underResponse(registrationSchema, input);
  return {
    ...parsed,
    response: {
      ...parsed.response,
      transports: parsed.response.transports as RegistrationResponseJSON['response']['transports'],
    },
  } as RegistrationResponseJSON;
}

/** A `PublicKeyCredential` from `navigator.credentials.get()`, as JSON. */
export function parseAuthenticationResponse(input: unknown): AuthenticationResponseJSON {
  const parsed = underResponse(authenticationSchema, input);
  const { userHandle, ...rest } = parsed.response;
  return {
    ...parsed,
    response: { ...rest, ...(userHandle == null ? {} : { userHandle }) },
  } as AuthenticationResponseJSON;
}
