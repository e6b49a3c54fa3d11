/**
 * How a session was signed in (DESIGN.md, assurance). `amr` values are RFC 8176's (`pwd`,
 * `sms`, `otp`, `mfa`, `hwk`, `swk`) plus `email` and `recovery`, which RFC 8176 has no names
 * for. A passkey is `hwk` when its key cannot leave the device (not backed up: a security key,
 * a device-bound platform passkey) and `swk` when it is synced or backed up (the key exists
 * outside the hardware, in a password manager or a platform's cloud keychain); the
 * authenticator reports which in its backup-state flag.
 */

import type { CodeMethod } from '@strapi-two-factor/contract';
export type AmrValue = 'pwd' | 'sms' | 'otp' | 'mfa' | 'email' | 'recovery' | 'fed' | 'hwk' | 'swk';

/** What a verified passkey assertion proved. */
export interface PasskeyProof {
  /** The authenticator's backup-state flag: synced or backed-up key (`swk`), else `hwk`. */
  backedUp: boolean;
  /** The UV flag: the authenticator verified the user (PIN, biometrics). */
  userVerified: boolean;
}

const amrOfPasskey = (proof: PasskeyProof): AmrValue => (proof.backedUp ? 'swk' : 'hwk');

/** The three claims an access token carries for a session the plugin let through. */
export interface Assurance {
  amr: AmrValue[];
  /** NIST SP 800-63B-4 authenticator assurance level: 1, or 2. */
  aal: 1 | 2;
  /** Seconds since the epoch when a factor was last proven (OIDC `auth_time`). */
  auth_time: number;
}

/** What proved the first step: a password, or a third-party provider (OAuth). */
export type FirstFactor = 'pwd' | 'fed';

/** A challenge's first step; rows from before assurance were all password sign-ins. */
export function firstFactorOf(challenge: { firstFactor: string | null }): FirstFactor {
  return challenge.firstFactor === 'fed' ? 'fed' : 'pwd';
}

/** The second steps the plugin verifies. */
/** A second step proved by a typed code. */
export type SecondStepMethod = CodeMethod;

const AMR_OF_METHOD: Record<SecondStepMethod, AmrValue> = {
  sms: 'sms',
  totp: 'otp',
  email: 'email',
  recovery_code: 'recovery',
};

/**
 * NIST SP 800-63B-4 does not accept email as an out-of-band authenticator, so a password plus
 * an emailed code stays AAL1. SMS (restricted, still allowed), TOTP and look-up secrets
 * (recovery codes) are AAL2-acceptable second factors.
 */
const isAal2SecondFactor = (method: SecondStepMethod): boolean => method !== 'email';

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** A sign-in that passed a first step (`pwd` or `fed`) and then `method`. */
export function assuranceOfSignIn(firstFactor: FirstFactor, method: SecondStepMethod, at: Date): Assurance {
  // A provider's sign-in (`fed`, as Microsoft Entra names it) is not ours to grade, so only
  // our own password with an AAL2-acceptable factor is multi-factor (`mfa`, AAL2).
  const multiFactor = isAal2SecondFactor(method) && firstFactor === 'pwd';
  return {
    amr: multiFactor ? [firstFactor, AMR_OF_METHOD[method], 'mfa'] : [firstFactor, AMR_OF_METHOD[method]],
    aal: multiFactor ? 2 : 1,
    auth_time: epochSeconds(at),
  };
}

/** Phone sign-in proves the phone and nothing else: one factor. */
export function assuranceOfPhoneSignIn(at: Date): Assurance {
  return { amr: ['sms'], aal: 1, auth_time: epochSeconds(at) };
}

/**
 * A trusted device skips the code: the device token is a bearer cookie, not a NIST
 * authenticator, so the session proves the password now and nothing more.
 */
export function assuranceOfTrustedDevice(firstFactor: FirstFactor, at: Date): Assurance {
  return { amr: [firstFactor], aal: 1, auth_time: epochSeconds(at) };
}

/** A session raised by a fresh code (step-up): the method joins what it had proven. */
export function assuranceAfterStepUp(current: Assurance, method: SecondStepMethod, at: Date): Assurance {
  const amr = new Set<AmrValue>(current.amr);
  amr.add(AMR_OF_METHOD[method]);
  const raised = isAal2SecondFactor(method) && amr.has('pwd');
  if (raised) amr.add('mfa');
  return {
    amr: [...amr],
    aal: raised ? 2 : current.aal,
    auth_time: epochSeconds(at),
  };
}

/**
 * A passkey as the second step after `firstFactor`. Possession of the key is an AAL2
 * factor after our password (user verification or not); with user verification the passkey
 * is multi-factor by itself (NIST SP 800-63B-4 §5.1.8), so even after a provider's sign-in
 * the session is AAL2.
 */
export function assuranceOfPasskeySecondStep(firstFactor: FirstFactor, proof: PasskeyProof, at: Date): Assurance {
  const multiFactor = firstFactor === 'pwd' || proof.userVerified;
  return {
    amr: multiFactor ? [firstFactor, amrOfPasskey(proof), 'mfa'] : [firstFactor, amrOfPasskey(proof)],
    aal: multiFactor ? 2 : 1,
    auth_time: epochSeconds(at),
  };
}

/**
 * Passwordless sign-in with a passkey: accepted only with user verification, which makes it
 * a multi-factor cryptographic authenticator (something you have, unlocked by something you
 * know or are): AAL2.
 */
export function assuranceOfPasskeySignIn(proof: PasskeyProof, at: Date): Assurance {
  if (!proof.userVerified) throw new Error('A passwordless passkey sign-in needs user verification');
  return { amr: [amrOfPasskey(proof), 'mfa'], aal: 2, auth_time: epochSeconds(at) };
}

/** A session raised by a passkey (step-up). */
export function assuranceAfterPasskeyStepUp(current: Assurance, proof: PasskeyProof, at: Date): Assurance {
  const amr = new Set<AmrValue>(current.amr);
  amr.add(amrOfPasskey(proof));
  const raised = proof.userVerified || amr.has('pwd');
  if (raised) amr.add('mfa');
  return { amr: [...amr], aal: raised ? 2 : current.aal, auth_time: epochSeconds(at) };
}

const AMR_VALUES: readonly string[] = ['pwd', 'sms', 'otp', 'mfa', 'email', 'recovery', 'fed', 'hwk', 'swk'];

/**
 * The assurance a verified token payload states. A token without `aal` (Strapi's own, for a
 * user without a factor) reads as a password sign-in; its `auth_time` is its `iat`.
 */
export function readAssurance(payload: Record<string, unknown>): Assurance {
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : 0;
  if (payload.aal !== 1 && payload.aal !== 2) return { amr: ['pwd'], aal: 1, auth_time: issuedAt };
  const amr = Array.isArray(payload.amr)
    ? payload.amr.filter((value): value is AmrValue => typeof value === 'string' && AMR_VALUES.includes(value))
    : [];
  const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : issuedAt;
  return { amr, aal: payload.aal, auth_time: authTime };
}
