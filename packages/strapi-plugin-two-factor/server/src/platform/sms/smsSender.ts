/** What a code check at the provider came to. */
export type SmsCheckResult = 'approved' | 'rejected' | 'expired';

export type SmsProvider = 'twilio' | 'twilio-verify' | 'console' | 'custom';

/** One way of getting a code to a phone; the plugin talks to every provider through this. */
export interface SmsSender {
  readonly provider: SmsProvider;
  /** True when the provider makes and checks the code itself (Twilio Verify). */
  readonly checksCodes: boolean;
  /**
   * Sends `body` to `to` (E.164). Twilio Verify ignores `body` and starts a verification instead.
   * @throws SmsDeliveryError when the provider refuses or cannot be reached
   */
  send(message: { to: string; body: string }): Promise<void>;
  /**
   * Only for providers that check codes.
   * @throws SmsCheckNotSupportedError when `checksCodes` is false
   */
  check(input: { to: string; code: string }): Promise<SmsCheckResult>;
}
