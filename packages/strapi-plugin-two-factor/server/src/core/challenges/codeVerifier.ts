import { type CodeMethod, codeMethod } from '@strapi-two-factor/contract';
import type { ChallengeRow } from '../../platform/stores/challengeStore';

/**
 * How one method judges a typed code (better-auth's factors each call `verifyTwoFactor`; oslo's
 * `verifyTOTP` is a pure function). Each factor registers one, once, in the container; the
 * challenge service holds the attempt caps, the single use and the lock-out around it and
 * knows no method by name.
 */
export interface CodeVerifier {
  readonly method: CodeMethod;
  /** The shape of a code of this method: anything else is a 400 before any attempt counts. */
  readonly format: RegExp;
  /** The code was sent for this challenge (SMS, email): only the method it was sent by answers it. */
  readonly sent: boolean;
  /**
   * Whether the challenge's own digest judges the code: a code this plugin made and sent. Not
   * so when a provider makes and checks the codes (Twilio Verify) or the user holds the secret.
   */
  judgedByChallenge(): boolean;
  /**
   * Judges a code the challenge does not hold; consumes what a right code uses up (a TOTP
   * step, a recovery code). Throwing means not judged: the attempt is given back.
   */
  verify(challenge: ChallengeRow, code: string): Promise<boolean>;
  /** A success's own writes, inside the transaction that consumes the challenge. */
  onConsumed?(challenge: ChallengeRow): Promise<void>;
}

export type CodeVerifiers = Readonly<Record<CodeMethod, CodeVerifier>>;

/** The registry: every code method of the contract has exactly one verifier. */
export function registerCodeVerifiers(verifiers: readonly CodeVerifier[]): CodeVerifiers {
  const registry: Partial<Record<CodeMethod, CodeVerifier>> = {};
  for (const verifier of verifiers) {
    if (registry[verifier.method] !== undefined) {
      throw new Error(`Two code verifiers registered for "${verifier.method}"`);
    }
    registry[verifier.method] = verifier;
  }
  const missing = codeMethod.options.filter((method) => registry[method] === undefined);
  if (missing.length > 0) throw new Error(`No code verifier registered for ${missing.join(', ')}`);
  return registry as CodeVerifiers;
}

/** Four to ten digits: SMS, email and authenticator-app codes (the length the policy sets is checked by the code itself). */
export const DIGIT_CODE_FORMAT = /^\d{4,10}$/;
