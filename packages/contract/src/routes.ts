import type { z } from 'zod';
import type { TwoFactorErrorCode } from './errorCodes.js';
import * as request from './requests.js';
import * as answer from './responses.js';

/**
 * Who may call a route: anyone (the challenge token in the body is the credential), a
 * signed-in user (`Authorization: Bearer <jwt>`), or also an enrolment-only token.
 */
export type RouteAuth = 'public' | 'user' | 'user-or-enrolment';

export interface ContractRoute {
  method: 'GET' | 'POST';
  /** Under the REST prefix (`/api`), in Strapi's notation (`/two-factor/factors/:id/remove`). */
  path: string;
  summary: string;
  auth: RouteAuth;
  request: { body?: z.ZodType; params?: z.ZodType };
  /** The 200 answer's body. */
  response: z.ZodType;
  /** The `details.code` values this route answers with, besides `INVALID_INPUT` and `TOO_MANY_REQUESTS`. */
  errors: readonly TwoFactorErrorCode[];
}

const CHALLENGE_ERRORS = [
  'INVALID_CHALLENGE',
  'CHALLENGE_EXPIRED',
  'CHALLENGE_USED',
  'TOO_MANY_ATTEMPTS',
  'ACCOUNT_LOCKED',
] as const satisfies TwoFactorErrorCode[];
const CODE_ERRORS = ['INVALID_CODE', 'CODE_EXPIRED', 'CODE_NOT_SENT'] as const satisfies TwoFactorErrorCode[];
const SEND_ERRORS = [
  'RESEND_TOO_SOON',
  'SEND_LIMIT_REACHED',
  'SMS_RATE_LIMITED',
  'SMS_BUDGET_EXCEEDED',
  'SMS_DELIVERY_FAILED',
  'EMAIL_DELIVERY_FAILED',
] as const satisfies TwoFactorErrorCode[];
const PASSKEY_ERRORS = [
  'INVALID_PASSKEY',
  'PASSKEY_COUNTER_REPLAYED',
  'PASSKEY_USER_VERIFICATION_REQUIRED',
  'PASSKEY_CHALLENGE_EXPIRED',
] as const satisfies TwoFactorErrorCode[];
const REAUTHENTICATION_ERRORS = [
  ...CODE_ERRORS,
  ...PASSKEY_ERRORS,
  'METHOD_NOT_AVAILABLE',
  'TOO_MANY_ATTEMPTS',
  'ACCOUNT_LOCKED',
] as const satisfies TwoFactorErrorCode[];
const SETUP_ERRORS = [
  ...REAUTHENTICATION_ERRORS,
  'REAUTHENTICATION_REQUIRED',
  'ENROLMENT_COMPLETE',
  'ALREADY_ENROLLED',
] as const satisfies TwoFactorErrorCode[];
const PHONE_ERRORS = ['INVALID_PHONE', 'COUNTRY_NOT_ALLOWED'] as const satisfies TwoFactorErrorCode[];

/**
 * Every route of the REST contract (DESIGN.md "REST contract"): the server validates with
 * these schemas, the client's types are inferred from them, the OpenAPI document is built
 * from this table.
 */
export const CONTRACT_ROUTES = [
  {
    method: 'POST',
    path: '/auth/local',
    summary: "Sign in, step 1 (Strapi's route): a session, a challenge, or an enrolment ticket",
    auth: 'public',
    request: { body: request.signInBody },
    response: answer.signInAnswer,
    errors: ['ACCOUNT_LOCKED', 'TOO_MANY_WRONG_PASSWORDS', 'TOO_MANY_REQUESTS'],
  },
  {
    method: 'POST',
    path: '/two-factor/challenge/verify',
    summary: "Sign in, step 2: a code or a passkey's answer → Strapi's login body",
    auth: 'public',
    request: { body: request.challengeVerifyBody },
    response: answer.session,
    errors: [...CHALLENGE_ERRORS, ...CODE_ERRORS, ...PASSKEY_ERRORS, 'METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'POST',
    path: '/two-factor/challenge/send',
    summary: 'A new code (or WebAuthn challenge) for an open sign-in',
    auth: 'public',
    request: { body: request.challengeSendBody },
    response: answer.challengeSendAnswer,
    errors: [...CHALLENGE_ERRORS, ...SEND_ERRORS, 'METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'POST',
    path: '/two-factor/phone/register',
    summary: 'Phone sign-up: a new user, confirmed by an SMS code',
    auth: 'public',
    request: { body: request.phoneRegisterBody },
    response: answer.phoneVerification,
    errors: [...PHONE_ERRORS, ...SEND_ERRORS, 'PHONE_TAKEN', 'ACCOUNT_EXISTS'],
  },
  {
    method: 'POST',
    path: '/two-factor/phone/verify',
    summary: "Phone sign-up: the SMS code → Strapi's login body",
    auth: 'public',
    request: { body: request.phoneVerifyBody },
    response: answer.session,
    errors: [...CHALLENGE_ERRORS, ...CODE_ERRORS, ...PHONE_ERRORS, 'PHONE_TAKEN', 'ACCOUNT_EXISTS'],
  },
  {
    method: 'POST',
    path: '/two-factor/phone/resend',
    summary: 'Phone sign-up: another code, the same answer whether or not the number is known',
    auth: 'public',
    request: { body: request.phoneBody },
    response: answer.phoneVerification,
    errors: [...PHONE_ERRORS, ...SEND_ERRORS],
  },
  {
    method: 'POST',
    path: '/two-factor/phone/login',
    summary: 'Phone sign-in (when enabled): a challenge for any number',
    auth: 'public',
    request: { body: request.phoneBody },
    response: answer.phoneLoginAnswer,
    errors: [...PHONE_ERRORS, ...SEND_ERRORS, 'METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'GET',
    path: '/two-factor/me',
    summary: "The user's two-step status: factors, recovery codes left, trusted devices",
    auth: 'user-or-enrolment',
    request: {},
    response: answer.twoFactorStatus,
    errors: [],
  },
  {
    method: 'POST',
    path: '/two-factor/sms/setup',
    summary: 'A pending SMS factor; its code is sent at once',
    auth: 'user-or-enrolment',
    request: { body: request.smsSetupWithReauthenticationBody },
    response: answer.smsSetup,
    errors: [...SETUP_ERRORS, ...PHONE_ERRORS, ...SEND_ERRORS, 'PHONE_TAKEN'],
  },
  {
    method: 'POST',
    path: '/two-factor/sms/activate',
    summary: 'Activate the SMS factor with its code',
    auth: 'user-or-enrolment',
    request: { body: request.smsActivateBody },
    response: answer.factorActivation,
    errors: [...CODE_ERRORS, 'TOO_MANY_ATTEMPTS', 'ALREADY_ENROLLED', 'NOT_FOUND', 'PHONE_TAKEN', 'ACCOUNT_LOCKED'],
  },
  {
    method: 'POST',
    path: '/two-factor/email/setup',
    summary: "A pending email factor; its code is mailed to the account's email",
    auth: 'user-or-enrolment',
    request: { body: request.factorSetupBody },
    response: answer.emailSetup,
    errors: [...SETUP_ERRORS, ...SEND_ERRORS],
  },
  {
    method: 'POST',
    path: '/two-factor/email/activate',
    summary: 'Activate the email factor with its code',
    auth: 'user-or-enrolment',
    request: { body: request.emailActivateBody },
    response: answer.factorActivation,
    errors: [...CODE_ERRORS, 'TOO_MANY_ATTEMPTS', 'ALREADY_ENROLLED', 'NOT_FOUND', 'ACCOUNT_LOCKED'],
  },
  {
    method: 'POST',
    path: '/two-factor/totp/setup',
    summary: 'A pending authenticator-app factor, with its QR code',
    auth: 'user-or-enrolment',
    request: { body: request.factorSetupBody },
    response: answer.totpSetup,
    errors: [...SETUP_ERRORS, 'ENCRYPTION_KEY_MISSING'],
  },
  {
    method: 'POST',
    path: '/two-factor/totp/activate',
    summary: 'Activate the authenticator app with a code it shows',
    auth: 'user-or-enrolment',
    request: { body: request.totpActivateBody },
    response: answer.factorActivation,
    errors: ['INVALID_CODE', 'ALREADY_ENROLLED', 'NOT_FOUND', 'ACCOUNT_LOCKED'],
  },
  {
    method: 'POST',
    path: '/two-factor/passkey/setup',
    summary: 'A pending passkey factor and the options the authenticator needs',
    auth: 'user-or-enrolment',
    request: { body: request.factorSetupBody },
    response: answer.passkeySetup,
    errors: [...SETUP_ERRORS],
  },
  {
    method: 'POST',
    path: '/two-factor/passkey/activate',
    summary: "Activate the passkey with the authenticator's registration response",
    auth: 'user-or-enrolment',
    request: { body: request.passkeyActivateBody },
    response: answer.factorActivation,
    errors: [...PASSKEY_ERRORS, 'PASSKEY_ALREADY_REGISTERED', 'ALREADY_ENROLLED', 'NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/two-factor/passkey/login/options',
    summary: 'Passwordless sign-in with a passkey: the options to sign',
    auth: 'public',
    request: {},
    response: answer.passkeyLoginOptions,
    errors: ['METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'POST',
    path: '/two-factor/passkey/login/verify',
    summary: "Passwordless sign-in with a passkey: its answer → Strapi's login body",
    auth: 'public',
    request: { body: request.passkeyLoginVerifyBody },
    response: answer.session,
    errors: [...CHALLENGE_ERRORS, ...PASSKEY_ERRORS, 'METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'POST',
    path: '/two-factor/factors/:id/rename',
    summary: 'Rename a factor (a passkey)',
    auth: 'user',
    request: { params: request.idParams, body: request.factorRenameBody },
    response: answer.twoFactorStatus,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/two-factor/trusted-devices/:id/revoke',
    summary: 'Revoke a trusted device',
    auth: 'user',
    request: { params: request.idParams },
    response: answer.twoFactorStatus,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/two-factor/factors/:id/remove',
    summary: 'Remove a factor, with a fresh factor',
    auth: 'user',
    request: { params: request.idParams, body: request.reauthenticationBody },
    response: answer.twoFactorStatus,
    errors: [...REAUTHENTICATION_ERRORS, 'NOT_FOUND', 'LAST_FACTOR_REQUIRED'],
  },
  {
    method: 'POST',
    path: '/two-factor/recovery-codes/regenerate',
    summary: 'New recovery codes, with a fresh factor; the old ones stop working',
    auth: 'user',
    request: { body: request.reauthenticationBody },
    response: answer.recoveryCodes,
    errors: [...REAUTHENTICATION_ERRORS],
  },
  {
    method: 'POST',
    path: '/two-factor/step-up/send',
    summary: 'A code for step-up or re-authentication, or passkey options',
    auth: 'user',
    request: { body: request.stepUpSendBody },
    response: answer.stepUpSendAnswer,
    errors: [...SEND_ERRORS, 'METHOD_NOT_AVAILABLE'],
  },
  {
    method: 'POST',
    path: '/two-factor/step-up/verify',
    summary: 'Raise the session (amr, aal, auth_time) with a fresh factor',
    auth: 'user',
    request: { body: request.reauthenticationBody },
    response: answer.stepUpAnswer,
    errors: [...REAUTHENTICATION_ERRORS],
  },
  {
    method: 'GET',
    path: '/two-factor/openapi.json',
    summary: 'This contract as an OpenAPI 3.1 document',
    auth: 'public',
    request: {},
    response: answer.openApiDocumentAnswer,
    errors: [],
  },
] as const satisfies readonly ContractRoute[];

/** `"METHOD /path"` of one route (distributes over a union: one key per route, not every pairing). */
type RouteKeyOf<Route> = Route extends { method: infer Method extends string; path: infer Path extends string }
  ? `${Method} ${Path}`
  : never;

export type ContractRouteKey = RouteKeyOf<(typeof CONTRACT_ROUTES)[number]>;
