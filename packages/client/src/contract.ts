/**
 * The shapes of the REST contract (DESIGN.md, "REST contract"), as the client returns them.
 * Dates are ISO 8601 strings, exactly as the server sends them.
 */

/** The ways to pass step 2 with a code typed in. */
export type CodeMethod = 'sms' | 'totp' | 'email' | 'recovery_code';

/** A way to pass step 2 of a sign-in: a code, or a passkey's signed answer. */
export type SecondFactorMethod = CodeMethod | 'passkey';

/** The methods whose code the server sends, and can send again. */
export type CodeSendingMethod = 'sms' | 'email';

/** The user object of users-permissions (its sanitised output); apps may add attributes. */
export interface StrapiUser {
  id: number;
  documentId: string;
  username: string;
  email: string | null;
  provider: string;
  confirmed: boolean;
  blocked: boolean;
  [attribute: string]: unknown;
}

/**
 * What Strapi's login returns: `{ jwt, user }` in `legacy-support` mode and in `refresh`
 * mode with the http-only cookie; `{ jwt, refreshToken, user }` in `refresh` mode without it.
 */
export interface StrapiSession<User extends StrapiUser = StrapiUser> {
  jwt: string;
  user: User;
  refreshToken?: string;
}

/** A token that lets this device skip step 2 on later sign-ins (header `X-Two-Factor-Device`). */
export interface TrustedDeviceToken {
  token: string;
  expiresAt: string;
}

/** The session step 2 ends with, plus the trusted-device token when one was asked for. */
export interface VerifiedSession<User extends StrapiUser = StrapiUser> extends StrapiSession<User> {
  trustedDevice?: TrustedDeviceToken;
}

/** An open sign-in challenge: finish it with `verifyChallenge`. */
export interface LoginChallenge {
  /** Opaque; the only credential of step 2. Never a jwt. */
  token: string;
  expiresAt: string;
  /** Every method this user may use to pass step 2. */
  methods: SecondFactorMethod[];
  /** The preferred one; for `sms` and `email` its code is already on its way. */
  method: SecondFactorMethod;
  /** The masked destination of the code, e.g. `+1 ••• ••• 4567`. */
  sentTo?: string;
  /** When `resendCode` will be accepted; before that it fails with `RESEND_TOO_SOON`. */
  resendAvailableAt?: string;
  /** When `methods` lists `passkey`: what the authenticator signs (`allowCredentials` = the user's passkeys). */
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
}

/** A sign-in blocked until the user enrols a first factor (their role requires one). */
export interface EnrollmentTicket {
  /** Valid only on the enrolment routes. */
  token: string;
  expiresAt: string;
}

/** What step 1 (`POST /api/auth/local`) led to. */
export type SignInResult<User extends StrapiUser = StrapiUser> =
  | { kind: 'session'; session: StrapiSession<User> }
  | { kind: 'challenge'; challenge: LoginChallenge }
  | { kind: 'enrollment'; enrollment: EnrollmentTicket };

/** Where a code went, and when another may be asked for. */
export interface CodeDelivery {
  sentTo: string;
  /** When this code stops working. */
  expiresAt: string;
  resendAvailableAt: string;
}

export interface FactorDescription {
  id: number;
  type: 'sms' | 'totp' | 'email' | 'passkey';
  /** For a passkey, the name the user gave it (`activatePasskey`'s `label`). */
  label: string | null;
  /** The masked number of an SMS factor. */
  sentTo?: string;
  /** A passkey synced by its provider (iCloud Keychain, Google Password Manager…), not bound to one device. */
  backedUp?: boolean;
  createdAt: string | null;
  lastUsedAt: string | null;
}

export interface TrustedDeviceDescription {
  id: number;
  userAgent: string | null;
  lastUsedAt: string | null;
  expiresAt: string;
}

/** `GET /api/two-factor/me` */
export interface TwoFactorStatus {
  enabled: boolean;
  /** Whether the user's role requires two-step verification. */
  required: boolean;
  factors: FactorDescription[];
  recoveryCodesRemaining: number;
  trustedDevices: TrustedDeviceDescription[];
}

/** `POST /api/two-factor/totp/setup`: a pending factor to show as a QR code. */
export interface TotpSetup {
  factorId: number;
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  otpauthUri: string;
  /** An SVG document of the QR code for `otpauthUri`. */
  qrCodeSvg: string;
}

/** `POST /api/two-factor/sms/setup`: a pending factor whose code is on its way. */
export interface SmsSetup {
  factorId: number;
  sentTo: string;
  expiresAt: string;
  /** When `setupSms` with the same number may send again. */
  resendAvailableAt: string;
}

/** A factor activated; `recoveryCodes` comes with the first factor only and is shown once. */
export interface FactorActivation {
  factor: FactorDescription;
  recoveryCodes?: string[];
}

/** `POST /api/two-factor/passkey/setup`: a pending passkey factor and what the authenticator must create. */
export interface PasskeySetup {
  factorId: number;
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** `POST /api/two-factor/passkey/login/options`: a passwordless sign-in to finish with the passkey's answer. */
export interface PasskeyLoginOptions {
  /** Opaque, single use, bound to this sign-in. */
  token: string;
  expiresAt: string;
  /** No `allowCredentials`: the authenticator offers the site's discoverable passkeys. */
  options: PublicKeyCredentialRequestOptionsJSON;
}

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
export interface RecoveryCodes {
  recoveryCodes: string[];
}

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
 * The stable `details.code` values the plugin answers with (DESIGN.md's one map). The
 * client accepts any string, so a newer server's code still reaches the app.
 */
export type TwoFactorErrorCode =
  | 'INVALID_CODE'
  | 'CHALLENGE_EXPIRED'
  | 'CODE_EXPIRED'
  | 'CHALLENGE_USED'
  | 'INVALID_CHALLENGE'
  | 'TOO_MANY_ATTEMPTS'
  | 'ACCOUNT_LOCKED'
  | 'RESEND_TOO_SOON'
  | 'SEND_LIMIT_REACHED'
  | 'SMS_RATE_LIMITED'
  | 'SMS_BUDGET_EXCEEDED'
  | 'PHONE_TAKEN'
  | 'INVALID_PHONE'
  | 'COUNTRY_NOT_ALLOWED'
  | 'SMS_DELIVERY_FAILED'
  | 'ALREADY_ENROLLED'
  | 'METHOD_NOT_AVAILABLE'
  | 'TWO_FACTOR_REQUIRED'
  | 'INVALID_INPUT'
  | 'ENCRYPTION_KEY_MISSING'
  | 'NOT_FOUND'
  | 'ACCOUNT_EXISTS'
  | 'CODE_NOT_SENT'
  | 'LAST_FACTOR_REQUIRED'
  | 'EMAIL_DELIVERY_FAILED'
  | 'TOO_MANY_REQUESTS'
  | 'INVALID_PASSKEY'
  | 'PASSKEY_COUNTER_REPLAYED'
  | 'PASSKEY_USER_VERIFICATION_REQUIRED'
  | 'PASSKEY_ALREADY_REGISTERED'
  | 'PASSKEY_CHALLENGE_EXPIRED'
  | 'STEP_UP_REQUIRED';
