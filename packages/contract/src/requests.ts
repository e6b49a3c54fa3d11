import { z } from 'zod';
import { codeMethod, renewableMethod } from './methods.js';
import { credentialJson } from './webauthn.js';

/**
 * The request bodies the server checks, exactly as it checks them: anything else is a 400
 * `INVALID_INPUT` naming the fields (`details.fields`).
 */

const challengeToken = z.string().min(1).max(200);
const deviceId = z.string().min(1).max(200);
const phone = z.string().min(1).max(40);
const positiveId = z.coerce.number().int().positive();

/** A passkey's name, as its owner gives it. */
export const factorLabel = z.string().trim().min(1).max(60);

/** `POST /api/auth/local` (Strapi's route; the plugin reads `deviceId` in refresh mode). */
export const signInBody = z.looseObject({
  identifier: z.string(),
  password: z.string(),
  deviceId: z.string().optional(),
});

export const challengeVerifyBody = z.object({
  token: challengeToken,
  method: z.string().min(1).max(40),
  code: z.string().min(1).max(40).optional(),
  // A passkey's answer for `method: "passkey"`; its fields are checked when it is verified.
  response: z.unknown().optional(),
  trustDevice: z.boolean().optional(),
  deviceId: deviceId.optional(),
});

export const challengeSendBody = z.object({
  token: challengeToken,
  method: z.string().min(1).max(40),
});

/** `phone/register`; other fields only when users-permissions' `register.allowedFields` lists them. */
export const phoneRegisterBody = z.object({
  username: z.string().trim().min(3).max(100),
  phone,
  email: z.email().max(254).optional(),
  password: z.string().min(6).max(200).optional(),
});

export const phoneVerifyBody = z.object({ phone, code: z.string().min(1).max(40) });

/** `phone/resend` and `phone/login`. */
export const phoneBody = z.object({ phone });

/**
 * A fresh factor: `{method, code}` for a code, `{method: "passkey", response}` for a passkey's
 * answer to `step-up/send`'s options (DESIGN.md "Re-authentication").
 */
export const reauthenticationBody = z.discriminatedUnion('method', [
  z.object({
    method: codeMethod,
    code: z.string().min(4).max(20),
  }),
  z.object({
    method: z.literal('passkey'),
    response: credentialJson,
  }),
]);

/**
 * A setup body: empty for the first factor; next to an active one, a fresh factor
 * (`REAUTHENTICATION_REQUIRED` without it).
 */
export const factorSetupBody = z.union([reauthenticationBody, z.object({})]);

export const smsSetupBody = z.object({ phone });

/** `sms/setup` next to an active factor: the number plus a fresh factor. */
export const smsSetupWithReauthenticationBody = z.union([
  smsSetupBody,
  z.intersection(smsSetupBody, reauthenticationBody),
]);

export const smsActivateBody = z.object({
  factorId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  code: z.string().min(1).max(40),
});

export const emailActivateBody = z.object({ factorId: positiveId, code: z.string().regex(/^\d{4,10}$/) });

export const totpActivateBody = z.object({ factorId: positiveId, code: z.string().regex(/^\d{6}$/) });

export const passkeyActivateBody = z.object({
  factorId: positiveId,
  response: credentialJson,
  label: factorLabel.optional(),
});

export const passkeyLoginVerifyBody = z.object({
  token: challengeToken,
  response: credentialJson,
  deviceId: deviceId.optional(),
});

/** `:id` of `factors/:id/…` and `trusted-devices/:id/revoke`. */
export const idParams = z.object({ id: positiveId });

export const factorRenameBody = z.object({ label: factorLabel });

export const stepUpSendBody = z.object({ method: renewableMethod });

export type SignInBody = z.input<typeof signInBody>;
export type ChallengeVerifyBody = z.input<typeof challengeVerifyBody>;
export type ChallengeSendBody = z.input<typeof challengeSendBody>;
export type PhoneRegisterBody = z.input<typeof phoneRegisterBody>;
export type PhoneVerifyBody = z.input<typeof phoneVerifyBody>;
export type PhoneBody = z.input<typeof phoneBody>;
export type ReauthenticationBody = z.input<typeof reauthenticationBody>;
export type Reauthentication = z.output<typeof reauthenticationBody>;
export type SmsSetupBody = z.input<typeof smsSetupWithReauthenticationBody>;
export type SmsActivateBody = z.input<typeof smsActivateBody>;
export type EmailActivateBody = z.input<typeof emailActivateBody>;
export type TotpActivateBody = z.input<typeof totpActivateBody>;
export type PasskeyActivateBody = z.input<typeof passkeyActivateBody>;
export type PasskeyLoginVerifyBody = z.input<typeof passkeyLoginVerifyBody>;
export type FactorRenameBody = z.input<typeof factorRenameBody>;
export type StepUpSendBody = z.input<typeof stepUpSendBody>;
