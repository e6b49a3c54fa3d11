/**
 * Every error a client can see, with its stable `details.code`, HTTP status and message.
 * The REST contract (DESIGN.md) promises these codes; add, never rename.
 */
export const TWO_FACTOR_ERROR_CODES = {
  INVALID_CODE: { status: 400, message: 'The code is not valid.' },
  CHALLENGE_EXPIRED: { status: 400, message: 'The challenge has expired. Sign in again.' },
  CODE_EXPIRED: { status: 400, message: 'The code has expired. Ask for a new one.' },
  CHALLENGE_USED: { status: 400, message: 'The challenge has already been used.' },
  INVALID_CHALLENGE: { status: 400, message: 'The challenge token is not valid.' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many wrong codes for this challenge. Sign in again.' },
  ACCOUNT_LOCKED: { status: 429, message: 'Too many failed attempts. Try again later.' },
  RESEND_TOO_SOON: { status: 429, message: 'Wait before asking for another code.' },
  SEND_LIMIT_REACHED: { status: 429, message: 'No more codes can be sent for this sign-in. Sign in again.' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many requests. Try again later.' },
  TOO_MANY_WRONG_PASSWORDS: {
    status: 429,
    message: 'Too many wrong passwords for this account. Try again later or from a trusted device.',
  },
  SMS_RATE_LIMITED: { status: 429, message: 'The SMS provider asks us to slow down. Try again shortly.' },
  SMS_BUDGET_EXCEEDED: { status: 429, message: 'No more codes can be sent right now. Try again later.' },
  ACCOUNT_EXISTS: { status: 400, message: 'Email or Username are already taken' },
  PHONE_TAKEN: { status: 400, message: 'This phone number belongs to another account.' },
  INVALID_PHONE: { status: 400, message: 'The phone number is not valid.' },
  COUNTRY_NOT_ALLOWED: { status: 400, message: 'Phone numbers from this country are not accepted.' },
  EMAIL_DELIVERY_FAILED: { status: 400, message: 'The email could not be sent. Ask for a new code.' },
  SMS_DELIVERY_FAILED: { status: 400, message: 'The SMS could not be sent. Ask for a new code.' },
  ALREADY_ENROLLED: { status: 400, message: 'This factor is already active on your account.' },
  CODE_NOT_SENT: { status: 400, message: 'No code was sent for this step. Ask for one first.' },
  LAST_FACTOR_REQUIRED: {
    status: 400,
    message: 'Two-step verification is required for your account: add another method first.',
  },
  METHOD_NOT_AVAILABLE: { status: 400, message: 'This verification method is not available.' },
  STEP_UP_REQUIRED: {
    status: 403,
    message: 'This needs a stronger or more recent sign-in: verify a code at step-up/verify.',
  },
  // Both 400, not 403: on an authenticated route Strapi's authorize middleware wraps the handler
  // and turns any ForbiddenError into a bare 403 without `details` (compose-endpoint.js).
  REAUTHENTICATION_REQUIRED: {
    status: 400,
    message: 'Adding a method needs a fresh code from one you already have: send { method, code }.',
  },
  ENROLMENT_COMPLETE: {
    status: 400,
    message: 'Two-step verification is already set up for this account: sign in again.',
  },
  TWO_FACTOR_REQUIRED: {
    status: 403,
    message: 'This account uses two-step verification: sign in through POST /api/auth/local.',
  },
  INVALID_INPUT: { status: 400, message: 'The request is not valid.' },
  ENCRYPTION_KEY_MISSING: { status: 400, message: 'Authenticator apps need an encryption key on the server.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  // One answer for an unknown credential, a bad signature, a wrong origin or RP ID, a stale
  // WebAuthn challenge: which one it was would help only an attacker.
  INVALID_PASSKEY: { status: 400, message: 'The passkey could not be verified.' },
  PASSKEY_COUNTER_REPLAYED: {
    status: 400,
    message: 'This passkey signed with a counter it has used before; it may have been copied.',
  },
  PASSKEY_USER_VERIFICATION_REQUIRED: {
    status: 400,
    message: 'The passkey must verify you (PIN or biometrics) for this.',
  },
  PASSKEY_ALREADY_REGISTERED: { status: 400, message: 'This passkey is already registered.' },
  PASSKEY_CHALLENGE_EXPIRED: { status: 400, message: 'The passkey request has expired. Start again.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type TwoFactorErrorCode = keyof typeof TWO_FACTOR_ERROR_CODES;

/** Every `details.code`, in the map's order (for schemas and documents). */
export const TWO_FACTOR_ERROR_CODE_LIST = Object.keys(TWO_FACTOR_ERROR_CODES) as [
  TwoFactorErrorCode,
  ...TwoFactorErrorCode[],
];
