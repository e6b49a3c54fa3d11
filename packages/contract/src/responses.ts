import { z } from 'zod';
import { creationOptions, requestOptions } from './webauthn.js';

/** Dates travel as ISO 8601 strings. */
const isoDate = z.string();

import { factorType, secondFactorMethod } from './methods.js';

/** The user object of users-permissions (its sanitised output); apps may add attributes. */
export const strapiUser = z.looseObject({
  id: z.number().int(),
  documentId: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  provider: z.string(),
  confirmed: z.boolean(),
  blocked: z.boolean(),
});

/** A token that lets this device skip step 2 on later sign-ins (header `X-Two-Factor-Device`). */
export const trustedDeviceToken = z.object({ token: z.string(), expiresAt: isoDate });

/**
 * What Strapi's login returns in the app's mode: `{jwt, user}`, plus `refreshToken` in
 * `refresh` mode without the http-only cookie; plus `trustedDevice` when step 2 asked for it.
 */
export const session = z.object({
  jwt: z.string(),
  user: strapiUser,
  refreshToken: z.string().optional(),
  trustedDevice: trustedDeviceToken.optional(),
});

/** An open sign-in challenge: finish it with `challenge/verify`. */
export const loginChallenge = z.object({
  /** Opaque; the only credential of step 2. Never a jwt. */
  token: z.string(),
  expiresAt: isoDate,
  methods: z.array(secondFactorMethod),
  method: secondFactorMethod,
  sentTo: z.string().optional(),
  resendAvailableAt: isoDate.optional(),
  passkeyOptions: requestOptions.optional(),
});

/** A sign-in blocked until the user enrols a first factor; the token opens the enrolment routes only. */
export const enrollmentTicket = z.object({ token: z.string(), expiresAt: isoDate });

export const challengeAnswer = z.object({ mfaRequired: z.literal(true), challenge: loginChallenge });
export const enrollmentAnswer = z.object({ mfaEnrollmentRequired: z.literal(true), enrollment: enrollmentTicket });

/** `POST /api/auth/local`: Strapi's own body, or the plugin's challenge or enrolment answer. */
export const signInAnswer = z.union([challengeAnswer, enrollmentAnswer, session]);

/** Where a code went, and when another may be asked for. */
export const codeDelivery = z.object({ sentTo: z.string(), expiresAt: isoDate, resendAvailableAt: isoDate });

/** `challenge/send`: a new code, or for `passkey` a new WebAuthn challenge. */
export const challengeSendAnswer = z.union([
  codeDelivery,
  z.object({ passkeyOptions: requestOptions, expiresAt: isoDate }),
]);

export const phoneVerification = z.object({ verification: codeDelivery });
export const phoneLoginAnswer = z.object({ challenge: loginChallenge });

export const factorDescription = z.object({
  id: z.number().int(),
  type: factorType,
  label: z.string().nullable(),
  /** The masked number of an SMS factor. */
  sentTo: z.string().optional(),
  createdAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  /** Passkeys: synced by their provider, not bound to one device. */
  backedUp: z.boolean().optional(),
  /** Passkeys: how the browser reached the authenticator. */
  transports: z.array(z.string()).optional(),
});

export const trustedDeviceDescription = z.object({
  id: z.number().int(),
  userAgent: z.string().nullable(),
  lastUsedAt: isoDate.nullable(),
  expiresAt: isoDate,
});

/** `GET /api/two-factor/me`, and the answer of every change to it. */
export const twoFactorStatus = z.object({
  enabled: z.boolean(),
  required: z.boolean(),
  factors: z.array(factorDescription),
  recoveryCodesRemaining: z.number().int().nonnegative(),
  trustedDevices: z.array(trustedDeviceDescription),
});

export const smsSetup = z.object({
  factorId: z.number().int(),
  sentTo: z.string(),
  expiresAt: isoDate,
  resendAvailableAt: isoDate,
});

export const emailSetup = smsSetup;

export const totpSetup = z.object({
  factorId: z.number().int(),
  secret: z.string(),
  otpauthUri: z.string(),
  qrCodeSvg: z.string(),
});

export const passkeySetup = z.object({ factorId: z.number().int(), options: creationOptions });

/** A factor activated; `recoveryCodes` comes with the first factor only and is shown once. */
export const factorActivation = z.object({
  factor: factorDescription,
  recoveryCodes: z.array(z.string()).optional(),
});

export const passkeyLoginOptions = z.object({ token: z.string(), expiresAt: isoDate, options: requestOptions });

export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/** `step-up/send`: a fresh `sms`/`email` code, or the options to sign for `passkey`. */
export const stepUpSendAnswer = z.union([codeDelivery, z.object({ passkeyOptions: requestOptions })]);

/** `step-up/verify`: the access token with the raised claims. */
export const stepUpAnswer = z.object({ jwt: z.string() });

/** `GET /api/two-factor/openapi.json`. */
export const openApiDocumentAnswer = z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) });

export type StrapiUserBody = z.infer<typeof strapiUser>;
export type TrustedDeviceToken = z.infer<typeof trustedDeviceToken>;
export type SessionBody = z.infer<typeof session>;
export type LoginChallenge = z.infer<typeof loginChallenge>;
export type EnrollmentTicket = z.infer<typeof enrollmentTicket>;
export type ChallengeAnswer = z.infer<typeof challengeAnswer>;
export type EnrollmentAnswer = z.infer<typeof enrollmentAnswer>;
export type SignInAnswer = z.infer<typeof signInAnswer>;
export type CodeDelivery = z.infer<typeof codeDelivery>;
export type ChallengeSendAnswer = z.infer<typeof challengeSendAnswer>;
export type PhoneVerification = z.infer<typeof phoneVerification>;
export type FactorDescription = z.infer<typeof factorDescription>;
export type TrustedDeviceDescription = z.infer<typeof trustedDeviceDescription>;
export type TwoFactorStatus = z.infer<typeof twoFactorStatus>;
export type SmsSetup = z.infer<typeof smsSetup>;
export type TotpSetup = z.infer<typeof totpSetup>;
export type PasskeySetup = z.infer<typeof passkeySetup>;
export type FactorActivation = z.infer<typeof factorActivation>;
export type PasskeyLoginOptions = z.infer<typeof passkeyLoginOptions>;
export type RecoveryCodes = z.infer<typeof recoveryCodes>;
export type StepUpSendAnswer = z.infer<typeof stepUpSendAnswer>;
export type StepUpAnswer = z.infer<typeof stepUpAnswer>;
