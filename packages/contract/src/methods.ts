import { z } from 'zod';

/**
 * Every way to pass a second step, written once: each list below (factors, codes, codes the
 * server sends) is cut from this one, and the server, client, admin panel and OpenAPI document
 * take theirs from here.
 */
export const secondFactorMethod = z.enum(['sms', 'totp', 'email', 'recovery_code', 'passkey']);
/** The ways to pass step 2 with a code typed in. */
export const codeMethod = secondFactorMethod.exclude(['passkey']);
/** The methods whose code the server sends, and can send again. */
export const codeSendingMethod = secondFactorMethod.extract(['sms', 'email']);
/** The factors a user enrols (recovery codes come with the first one, they are no factor). */
export const factorType = secondFactorMethod.exclude(['recovery_code']);
/** What `step-up/send` renews: a sent code, or a passkey's WebAuthn challenge. */
export const renewableMethod = secondFactorMethod.extract(['sms', 'email', 'passkey']);

export type SecondFactorMethod = z.infer<typeof secondFactorMethod>;
export type CodeMethod = z.infer<typeof codeMethod>;
export type CodeSendingMethod = z.infer<typeof codeSendingMethod>;
export type FactorType = z.infer<typeof factorType>;
