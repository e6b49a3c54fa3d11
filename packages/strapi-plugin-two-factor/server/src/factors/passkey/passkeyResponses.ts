import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  authenticationResponse as authenticationSchema,
  registrationResponse as registrationSchema,
} from '@strapi-two-factor/contract';
import { z } from 'zod';
import { parseInput } from '../../platform/errors/parseInput';

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
