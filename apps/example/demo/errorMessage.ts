import {
  NotSignedInError,
  PasskeysUnavailableError,
  TwoFactorApiError,
  type TwoFactorErrorCode,
} from '@strapi-two-factor/client';

/**
 * What each of the server's `details.code` values means to the person in front of the page.
 */
const SENTENCES: Record<TwoFactorErrorCode, string> = {
  INVALID_CODE: 'That code is not right. Check it and try again.',
  CODE_EXPIRED: 'That code has expired. Ask for a new one.',
  CHALLENGE_EXPIRED: 'This sign-in took too long. Start again with your password.',
  CHALLENGE_USED: 'This sign-in is already finished. Start again with your password.',
  INVALID_CHALLENGE: 'This sign-in is no longer valid. Start again with your password.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes. Start again with your password.',
  ACCOUNT_LOCKED: 'Too many failed attempts: the account is locked for a while.',
  RESEND_TOO_SOON: 'Please wait a little before asking for another code.',
  SEND_LIMIT_REACHED: 'No more codes can be sent for this attempt. Start again.',
  SMS_RATE_LIMITED: 'The text-message service asks us to slow down. Try again shortly.',
  SMS_BUDGET_EXCEEDED: 'No more text messages can be sent right now. Try again later.',
  PHONE_TAKEN: 'This phone number already belongs to another account.',
  INVALID_PHONE: 'That phone number does not look right. Write it with its country code, e.g. +1 415 555 0100.',
  COUNTRY_NOT_ALLOWED: 'Phone numbers from that country are not accepted here.',
  SMS_DELIVERY_FAILED: 'The text message could not be sent. Try again in a moment.',
  ALREADY_ENROLLED: 'This is already set up on your account.',
  METHOD_NOT_AVAILABLE: 'That way of confirming is not available for this account.',
  TWO_FACTOR_REQUIRED: 'This account uses two-step verification: sign in with your password and a code.',
  INVALID_INPUT: 'Some of the fields are not filled in correctly.',
  ENCRYPTION_KEY_MISSING: 'The server has no encryption key, so authenticator apps cannot be added.',
  NOT_FOUND: 'That no longer exists. Reload the page.',
  ACCOUNT_EXISTS: 'That username or email is already taken.',
  CODE_NOT_SENT: 'Ask for a code first.',
  LAST_FACTOR_REQUIRED: 'Your account must keep two-step verification: add another method before removing this one.',
  EMAIL_DELIVERY_FAILED: 'The email could not be sent. Ask for a new code.',
  TOO_MANY_REQUESTS: 'Too many requests. Wait a minute and try again.',
  TOO_MANY_WRONG_PASSWORDS: 'Too many wrong passwords for this account. Try again later, or from a device you trusted.',
  REAUTHENTICATION_REQUIRED: 'Confirm it’s you with a method you already have before adding another.',
  ENROLMENT_COMPLETE: 'Two-step verification is already set up. Sign in again.',
  INVALID_PASSKEY: 'That passkey was not accepted. Try again, or confirm another way.',
  PASSKEY_COUNTER_REPLAYED:
    'That passkey was refused: it looks copied. Use another way to confirm and check your passkeys.',
  STEP_UP_REQUIRED: 'Confirm it’s you again to go on.',
  PASSKEY_USER_VERIFICATION_REQUIRED:
    'Your passkey must check it’s you (fingerprint, face or PIN). Try again, or use another passkey.',
  PASSKEY_ALREADY_REGISTERED: 'That passkey is already on an account.',
  PASSKEY_CHALLENGE_EXPIRED: 'The passkey prompt took too long. Try again.',
};

/**
 * The browser's WebAuthn errors (`DOMException` names), as the person met them: a prompt
 * closed, a passkey already there, an address the passkeys do not belong to.
 */
const PASSKEY_SENTENCES: Record<string, string> = {
  NotAllowedError: 'The passkey prompt was closed or timed out. Nothing was changed.',
  InvalidStateError: 'This device already holds a passkey for your account.',
  SecurityError: 'Passkeys do not work on this address: open the page at the server’s own name.',
  AbortError: 'The passkey prompt was cancelled.',
};

/** The codes after which the current sign-in cannot go on: the person starts again. */
export const SIGN_IN_ENDING_CODES: ReadonlySet<string> = new Set([
  'CHALLENGE_EXPIRED',
  'CHALLENGE_USED',
  'INVALID_CHALLENGE',
  'TOO_MANY_ATTEMPTS',
  'SEND_LIMIT_REACHED',
  'ACCOUNT_LOCKED',
]);

function isKnownCode(code: string): code is keyof typeof SENTENCES {
  return Object.hasOwn(SENTENCES, code);
}

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

/** A sentence for any error the demo can meet: the server's, the client's or the network's. */
export function errorMessage(error: unknown): string {
  if (error instanceof TwoFactorApiError) {
    let sentence: string;
    if (error.code !== undefined && isKnownCode(error.code)) sentence = SENTENCES[error.code];
    else if (error.message === 'Invalid identifier or password') sentence = 'The username or password is not right.';
    else if (error.status === 401) sentence = 'Your session has ended. Sign in again.';
    else sentence = error.message.endsWith('.') ? error.message : `${error.message}.`;
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0 && error.status === 429) {
      sentence += ` You can try again in ${waitText(error.retryAfterSeconds)}.`;
    }
    return sentence;
  }
  if (error instanceof NotSignedInError) return 'Your session has ended. Sign in again.';
  if (error instanceof PasskeysUnavailableError) return 'This browser cannot use passkeys on this page.';
  if (error instanceof DOMException && Object.hasOwn(PASSKEY_SENTENCES, error.name)) {
    return PASSKEY_SENTENCES[error.name] ?? 'Something went wrong. Try again.';
  }
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Try again.';
}

/** The server's stable code of `error`, when it has one. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TwoFactorApiError ? error.code : undefined;
}

/** The seconds the server asks to wait before another code, after a `RESEND_TOO_SOON`. */
export function resendWaitSeconds(error: unknown): number | undefined {
  if (!(error instanceof TwoFactorApiError) || error.code !== 'RESEND_TOO_SOON') return undefined;
  return error.retryAfterSeconds;
}
