/**
 * The shapes of the REST contract (DESIGN.md, "REST contract"), as the client returns them.
 * Dates are ISO 8601 strings, exactly as the server sends them.
 */

/** A way to pass step 2 of a sign-in. */
export type SecondFactorMethod = 'sms' | 'totp' | 'email' | 'recovery_code';

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
  type: 'sms' | 'totp' | 'email';
  label: string | null;
  /** The masked number of an SMS factor. */
  sentTo?: string;
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
  | 'TOO_MANY_REQUESTS';
