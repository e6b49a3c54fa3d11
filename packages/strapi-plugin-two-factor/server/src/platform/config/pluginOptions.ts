/**
 * What an app may set under `'two-factor': { config: { … } }` in `config/plugins.ts`.
 * Every bound is enforced at start-up by `validatePluginConfig`.
 */

/** Sends one SMS. Throw `SmsDeliveryError` to report a delivery failure. */
export type SmsSenderFunction = (message: { to: string; body: string }) => Promise<void>;

export type SmsProviderName = 'twilio' | 'twilio-verify' | 'console';

export interface TwilioOptions {
  /** Account SID (`AC…`); HTTP Basic user name. */
  accountSid?: string;
  /** Auth token; HTTP Basic password. Never logged. */
  authToken?: string;
  /** Sender number (E.164) or alphanumeric sender ID. Either this or `messagingServiceSid`. */
  from?: string;
  /** Messaging Service SID (`MG…`), used instead of `from` when set. */
  messagingServiceSid?: string;
  /** Verify v2 Service SID (`VA…`), required by the `twilio-verify` provider. */
  verifyServiceSid?: string;
  /** Base URL of the Programmable Messaging API. @default 'https://api.twilio.com' */
  apiBaseUrl?: string;
  /** Base URL of the Verify v2 API. @default 'https://verify.twilio.com' */
  verifyBaseUrl?: string;
  /** Give up on a Twilio request after this long (1 000–30 000). @default 10000 */
  requestTimeoutMilliseconds?: number;
}

export interface SmsOptions {
  /**
   * Who sends the SMS: Twilio Messaging, Twilio Verify (Twilio makes and checks the code),
   * the console (development only; refused when `NODE_ENV=production`), or your function.
   * @default 'console'
   */
  provider?: SmsProviderName | SmsSenderFunction;
  /**
   * Message text; `{code}`, `{appName}` and `{minutes}` are replaced.
   * @default '{code} is your {appName} verification code. It expires in {minutes} minutes.'
   */
  template?: string;
  twilio?: TwilioOptions;
}

export interface PhoneOptions {
  /** Accept `POST /api/two-factor/phone/login` (phone + SMS code, no password). @default false */
  signInEnabled?: boolean;
  /** ISO 3166-1 alpha-2 codes numbers may belong to; empty allows all. @default [] */
  allowedCountries?: string[];
  /** Region assumed for numbers written without `+`, e.g. `'US'`. @default undefined */
  defaultRegion?: string;
  /**
   * Let `POST /api/two-factor/phone/register` create users without an email. This makes
   * users-permissions' `User.email` optional for the whole app: GraphQL's
   * `UsersPermissionsUser.email` becomes nullable (`String`) and the admin shows it optional.
   * Off, phone sign-up needs an email and the user type stays Strapi's own.
   * @default false
   */
  signUpWithoutEmail?: boolean;
}

export interface PasskeyOptions {
  /**
   * The WebAuthn relying party ID: the domain passkeys belong to, e.g. `'example.com'` for
   * pages on `app.example.com` and `example.com`. A passkey made for one RP ID never works
   * for another, so choose it once. @default 'localhost'
   */
  rpId?: string;
  /** The name authenticators show next to the passkey. @default appName */
  rpName?: string;
  /**
   * The exact origins (`https://app.example.com`, no path) of the pages that call WebAuthn.
   * Required when `NODE_ENV=production`; elsewhere empty means the app's own
   * `http://localhost:PORT` and `http://127.0.0.1:PORT`. @default []
   */
  origins?: string[];
  /**
   * `'required'`: every passkey must verify the user (PIN, biometrics); `'preferred'` also
   * accepts a passkey that only tests presence as a second step after a password (never
   * for passwordless sign-in). @default 'required'
   */
  userVerification?: 'required' | 'preferred';
}

export interface TwoFactorPluginOptions {
  /** Name shown in SMS texts and as the TOTP issuer; 1–60 characters, no `:`. @default 'Strapi' */
  appName?: string;
  /**
   * Secret the encryption and HMAC keys are derived from (HKDF). Falls back to Strapi's
   * `admin.secrets.encryptionKey` (`ENCRYPTION_KEY`). At least 16 characters.
   * @default undefined
   */
  encryptionKey?: string;
  /** Digits in an SMS or email code (6–8). @default 6 */
  codeLength?: number;
  /** Seconds an SMS or email code stays valid (60–600, NIST 800-63B). @default 300 */
  codeLifetimeSeconds?: number;
  /** Seconds a login challenge stays open (120–1800). @default 600 */
  challengeLifetimeSeconds?: number;
  /** Wrong codes a challenge takes before it is dead (1–10). @default 5 */
  maxAttemptsPerChallenge?: number;
  /** Consecutive failures across challenges that lock an account (3–100). @default 10 */
  maxConsecutiveFailures?: number;
  /** Seconds an account stays locked (60–86 400). @default 900 */
  lockoutSeconds?: number;
  /** Seconds between two sends of a code for one challenge (30–600). @default 30 */
  resendCooldownSeconds?: number;
  /** Sends a challenge allows, the first one included (1–10). @default 5 */
  maxSendsPerChallenge?: number;
  /** SMS one number may receive per hour (1–50). @default 10 */
  maxSmsPerNumberPerHour?: number;
  /** SMS the whole app may send per hour, against SMS pumping (1–1 000 000). @default 1000 */
  maxSmsPerHour?: number;
  /** SMS the phone routes send on behalf of one IP address per hour (1–10 000). @default 30 */
  maxSmsPerIpPerHour?: number;
  /** Requests one IP may make to the plugin's routes and to `/api/auth/local` per minute (10–100 000). @default 120 */
  maxRequestsPerIpPerMinute?: number;
  /**
   * Sign-in attempts per identifier and client address per minute on `/api/auth/local`
   * (3–1 000); other addresses never spend the owner's. @default 20
   */
  maxSignInsPerAccountPerMinute?: number;
  /**
   * Wrong passwords one account takes, from all addresses together, before its password
   * sign-in is refused (429 `TOO_MANY_WRONG_PASSWORDS`) to every client that does not prove
   * an earlier sign-in (a trusted-device token); a right password starts the count over
   * (3–100, NIST 800-63B §5.2.2). @default 100
   */
  maxWrongPasswordsPerAccount?: number;
  /** Seconds the count of `maxWrongPasswordsPerAccount` is kept from its first wrong password (300–86 400). @default 3600 */
  wrongPasswordWindowSeconds?: number;
  /** Seconds a trusted device skips step 2 (3 600–7 776 000). @default 2592000 (30 days) */
  trustedDeviceLifetimeSeconds?: number;
  /** Trusted devices a user may keep; the oldest is dropped (1–50). @default 10 */
  maxTrustedDevicesPerUser?: number;
  /** Days audit events are kept (1–3 650). @default 90 */
  eventRetentionDays?: number;
  /**
   * Turning two-step verification on, adding or removing a factor, regenerating recovery
   * codes and an admin reset end the user's other sessions (their refresh sessions, in
   * `refresh` mode; legacy tokens have no server session and live until they expire). The
   * session that made the change stays. @default true
   */
  endOtherSessionsOnFactorChange?: boolean;
  /** Redis URL for request rate limits shared by several instances; memory when unset. @default undefined */
  redisUrl?: string;
  /** Prefix of the plugin's Redis keys, so several apps can share one Redis. @default 'two-factor' */
  redisKeyPrefix?: string;
  sms?: SmsOptions;
  phone?: PhoneOptions;
  passkey?: PasskeyOptions;
}
