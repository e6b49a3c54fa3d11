/**
 * The shapes of the REST contract (DESIGN.md, "REST contract"), as the client returns them.
 * They are inferred from `@strapi-two-factor/contract`, the zod schemas the server validates
 * with (types only: nothing of it, nor zod, runs in the client). Dates are ISO 8601 strings,
 * exactly as the server sends them. WebAuthn's JSON forms below are the spec's, written out.
 */

import type {
  CodeDelivery as ContractCodeDelivery,
  CodeMethod as ContractCodeMethod,
  CodeSendingMethod as ContractCodeSendingMethod,
  EnrollmentTicket as ContractEnrollmentTicket,
  FactorActivation as ContractFactorActivation,
  FactorDescription as ContractFactorDescription,
  LoginChallenge as ContractLoginChallenge,
  PasskeyLoginOptions as ContractPasskeyLoginOptions,
  PasskeySetup as ContractPasskeySetup,
  RecoveryCodes as ContractRecoveryCodes,
  SecondFactorMethod as ContractSecondFactorMethod,
  SmsSetup as ContractSmsSetup,
  TotpSetup as ContractTotpSetup,
  TrustedDeviceDescription as ContractTrustedDeviceDescription,
  TrustedDeviceToken as ContractTrustedDeviceToken,
  TwoFactorErrorCode as ContractTwoFactorErrorCode,
  TwoFactorStatus as ContractTwoFactorStatus,
  SessionBody,
  StrapiUserBody,
} from '@strapi-two-factor/contract';

/** The ways to pass step 2 with a code typed in. */
export type CodeMethod = ContractCodeMethod;

/** A way to pass step 2 of a sign-in: a code, or a passkey's signed answer. */
export type SecondFactorMethod = ContractSecondFactorMethod;

/** The methods whose code the server sends, and can send again. */
export type CodeSendingMethod = ContractCodeSendingMethod;

/** The user object of users-permissions (its sanitised output); apps may add attributes. */
export type StrapiUser = StrapiUserBody;

/**
 * What Strapi's login returns: `{ jwt, user }` in `legacy-support` mode and in `refresh`
 * mode with the http-only cookie; `{ jwt, refreshToken, user }` in `refresh` mode without it.
 */
export type StrapiSession<User extends StrapiUser = StrapiUser> = Omit<SessionBody, 'user' | 'trustedDevice'> & {
  user: User;
};

/** A token that lets this device skip step 2 on later sign-ins (header `X-Two-Factor-Device`). */
export type TrustedDeviceToken = ContractTrustedDeviceToken;

/** The session step 2 ends with, plus the trusted-device token when one was asked for. */
export type VerifiedSession<User extends StrapiUser = StrapiUser> = StrapiSession<User> & {
  trustedDevice?: TrustedDeviceToken;
};

/**
 * An open sign-in challenge: finish it with `verifyChallenge`. `token` is opaque, the only
 * credential of step 2; `method` is the preferred one (for `sms` and `email` its code is on
 * its way); `resendAvailableAt` says when `resendCode` will be accepted; `passkeyOptions`
 * (when `methods` lists `passkey`) is what the authenticator signs.
 */
export type LoginChallenge = Omit<ContractLoginChallenge, 'passkeyOptions'> & {
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
};

/** A sign-in blocked until the user enrols a first factor (their role requires one); the token works on the enrolment routes only. */
export type EnrollmentTicket = ContractEnrollmentTicket;

/** What step 1 (`POST /api/auth/local`) led to. */
export type SignInResult<User extends StrapiUser = StrapiUser> =
  | { kind: 'session'; session: StrapiSession<User> }
  | { kind: 'challenge'; challenge: LoginChallenge }
  | { kind: 'enrollment'; enrollment: EnrollmentTicket };

/** Where a code went, when it stops working, and when another may be asked for. */
export type CodeDelivery = ContractCodeDelivery;

/** A factor as its owner sees it; `label` is a passkey's name, `sentTo` an SMS factor's masked number. */
export type FactorDescription = ContractFactorDescription;

export type TrustedDeviceDescription = ContractTrustedDeviceDescription;

/** `GET /api/two-factor/me` */
export type TwoFactorStatus = ContractTwoFactorStatus;

/** `POST /api/two-factor/totp/setup`: a pending factor to show as a QR code. */
export type TotpSetup = ContractTotpSetup;

/** `POST /api/two-factor/sms/setup`: a pending factor whose code is on its way. */
export type SmsSetup = ContractSmsSetup;

/** A factor activated; `recoveryCodes` comes with the first factor only and is shown once. */
export type FactorActivation = ContractFactorActivation;

/** `POST /api/two-factor/passkey/setup`: a pending passkey factor and what the authenticator must create. */
export type PasskeySetup = Omit<ContractPasskeySetup, 'options'> & { options: PublicKeyCredentialCreationOptionsJSON };

/** `POST /api/two-factor/passkey/login/options`: a passwordless sign-in to finish with the passkey's answer. */
export type PasskeyLoginOptions = Omit<ContractPasskeyLoginOptions, 'options'> & {
  /** No `allowCredentials`: the authenticator offers the site's discoverable passkeys. */
  options: PublicKeyCredentialRequestOptionsJSON;
};

/** Base64url without padding (RFC 4648 §5), as every binary field of WebAuthn's JSON forms. */
export type Base64UrlString = string;

/** How an authenticator is reached (WebAuthn `AuthenticatorTransport`); unknown values pass through. */
export type AuthenticatorTransportName = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

export type UserVerificationRequirementName = 'discouraged' | 'preferred' | 'required';

export interface PublicKeyCredentialDescriptorJSON {
  id: Base64UrlString;
  type: 'public-key';
  transports?: AuthenticatorTransportName[];
}

/**
 * WebAuthn Level 3's `PublicKeyCredentialCreationOptionsJSON` (the server's
 * `@simplewebauthn/server` produces it): what `navigator.credentials.create` needs, in JSON.
 */
export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id?: string; name: string };
  user: { id: Base64UrlString; name: string; displayName: string };
  challenge: Base64UrlString;
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  /** Milliseconds. */
  timeout?: number;
  /** The user's passkeys, so an authenticator holding one refuses to make a second. */
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: 'platform' | 'cross-platform';
    residentKey?: 'discouraged' | 'preferred' | 'required';
    requireResidentKey?: boolean;
    userVerification?: UserVerificationRequirementName;
  };
  hints?: string[];
  attestation?: 'none' | 'indirect' | 'direct' | 'enterprise';
  extensions?: Record<string, unknown>;
}

/** WebAuthn Level 3's `PublicKeyCredentialRequestOptionsJSON`: what `navigator.credentials.get` needs. */
export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64UrlString;
  /** Milliseconds. */
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: UserVerificationRequirementName;
  hints?: string[];
  extensions?: Record<string, unknown>;
}

/** A new passkey, as `passkey/activate` takes it (WebAuthn's `RegistrationResponseJSON`). */
export interface RegistrationResponseJSON {
  id: Base64UrlString;
  rawId: Base64UrlString;
  type: 'public-key';
  response: {
    clientDataJSON: Base64UrlString;
    attestationObject: Base64UrlString;
    authenticatorData?: Base64UrlString;
    transports?: AuthenticatorTransportName[];
    publicKeyAlgorithm?: number;
    publicKey?: Base64UrlString;
  };
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: Record<string, unknown>;
}

/** A passkey's signed answer to a challenge (WebAuthn's `AuthenticationResponseJSON`). */
export interface AuthenticationResponseJSON {
  id: Base64UrlString;
  rawId: Base64UrlString;
  type: 'public-key';
  response: {
    clientDataJSON: Base64UrlString;
    authenticatorData: Base64UrlString;
    signature: Base64UrlString;
    userHandle?: Base64UrlString;
  };
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: Record<string, unknown>;
}

/** New recovery codes, shown once; the old ones no longer work. */
export type RecoveryCodes = ContractRecoveryCodes;

/** `POST /api/auth/refresh`: a new access token; in body mode the rotated refresh token too. */
export interface RefreshedTokens {
  jwt: string;
  refreshToken?: string;
}

/** The tokens the client holds for self-service calls and `refresh()`. */
export interface SessionTokens {
  jwt: string | null;
  /** Only in `refresh` mode without the http-only cookie. */
  refreshToken: string | null;
}

/**
 * The stable `details.code` values the plugin answers with (the contract's one map). The
 * client accepts any string, so a newer server's code still reaches the app.
 */
export type TwoFactorErrorCode = ContractTwoFactorErrorCode;
