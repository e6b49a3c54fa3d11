/**
 * Why an SMS did not leave, in the terms the plugin answers with: `invalid-phone` →
 * `INVALID_PHONE`, `country-not-allowed` → `COUNTRY_NOT_ALLOWED`, `rate-limited` → 429,
 * `unavailable` → `SMS_DELIVERY_FAILED` (the challenge survives; the user can resend).
 */
export type SmsDeliveryReason = 'invalid-phone' | 'country-not-allowed' | 'rate-limited' | 'unavailable';

export interface SmsDeliveryErrorOptions {
  /** Twilio's error code (https://www.twilio.com/docs/errors/<code>), when Twilio gave one. */
  twilioCode?: number;
  /** From Twilio's `Retry-After` header on a rate-limited answer. */
  retryAfterSeconds?: number;
  /** The underlying failure: a timeout, a network error, or the app's own error. */
  cause?: unknown;
}

/**
 * An SMS could not be sent. The message may be logged, so whoever builds one must keep the
 * SMS body (it holds the code) out of it; the senders in this folder do.
 */
export class SmsDeliveryError extends Error {
  override readonly name = 'SmsDeliveryError';
  readonly twilioCode?: number;
  readonly retryAfterSeconds?: number;
  // Declared here because the server's `lib` (ES2020) predates `Error.cause`.
  readonly cause?: unknown;

  constructor(
    readonly reason: SmsDeliveryReason,
    message: string,
    options: SmsDeliveryErrorOptions = {},
  ) {
    super(message);
    if (options.twilioCode !== undefined) this.twilioCode = options.twilioCode;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
