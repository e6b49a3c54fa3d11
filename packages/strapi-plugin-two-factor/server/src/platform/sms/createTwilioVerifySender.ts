import { SmsDeliveryError } from './smsDeliveryError';
import type { SmsLogger } from './smsLogger';
import type { SmsCheckResult, SmsSender } from './smsSender';
import { twilioRequest } from './twilioRequest';
import { twilioUrl } from './twilioUrl';

export interface TwilioVerifyOptions {
  accountSid: string;
  authToken: string;
  /** Verify v2 Service SID (`VA…`). */
  verifyServiceSid: string;
  /** e.g. `https://verify.twilio.com`, or a local Twilio-compatible server in tests. */
  verifyBaseUrl: string;
  requestTimeoutMilliseconds: number;
  /** Sent as `CustomFriendlyName`, the name in Twilio's message text. */
  appName: string;
  logger: SmsLogger;
}

/** Twilio Verify codes are 4–10 digits; anything else cannot be right. */
const VERIFY_CODE = /^\d{4,10}$/;

/** Twilio 60204: the service lacks a feature; for us, the Custom Company Name that `CustomFriendlyName` needs. */
const FEATURE_NOT_ENABLED = 60204;

/** Twilio generates, sends and checks the code; the SMS body the plugin renders is not used. */
export function createTwilioVerifySender(options: TwilioVerifyOptions): SmsSender {
  const serviceUrl = twilioUrl(options.verifyBaseUrl, `v2/Services/${encodeURIComponent(options.verifyServiceSid)}`);
  const post = (path: string, form: Record<string, string>): Promise<Record<string, unknown>> =>
    twilioRequest({
      url: `${serviceUrl}/${path}`,
      form,
      accountSid: options.accountSid,
      authToken: options.authToken,
      timeoutMilliseconds: options.requestTimeoutMilliseconds,
    });
  // Twilio accepts `CustomFriendlyName` only once Sales has enabled "Custom Company Name" on
  // the account, and answers 60204 otherwise; then the service's own name is used from now on.
  let sendsFriendlyName = true;

  return {
    provider: 'twilio-verify',
    checksCodes: true,
    async send({ to }): Promise<void> {
      const form = { To: to, Channel: 'sms' };
      if (!sendsFriendlyName) {
        await post('Verifications', form);
        return;
      }
      try {
        await post('Verifications', { ...form, CustomFriendlyName: options.appName });
      } catch (error) {
        if (!(error instanceof SmsDeliveryError) || error.twilioCode !== FEATURE_NOT_ENABLED) throw error;
        sendsFriendlyName = false;
        options.logger.warn(
          '[two-factor] Twilio Verify refused CustomFriendlyName (error 60204: Custom Company Name is not enabled for this account); the Verify service name is used instead',
        );
        await post('Verifications', form);
      }
    },
    async check({ to, code }): Promise<SmsCheckResult> {
      if (!VERIFY_CODE.test(code)) return 'rejected';
      let verification: Record<string, unknown>;
      try {
        verification = await post('VerificationCheck', { To: to, Code: code });
      } catch (error) {
        if (!(error instanceof SmsDeliveryError)) throw error;
        // 20404: no open verification (expired, already approved, or never started).
        if (error.twilioCode === 20404) return 'expired';
        // 60202: the fifth wrong code; Twilio has closed the verification.
        if (error.twilioCode === 60202) return 'rejected';
        throw error;
      }
      return checkResultOf(verification.status);
    },
  };
}

function checkResultOf(status: unknown): SmsCheckResult {
  switch (status) {
    case 'approved':
      return 'approved';
    // A wrong code is a 200 with the verification still pending.
    case 'pending':
    case 'max_attempts_reached':
      return 'rejected';
    case 'canceled':
    case 'expired':
    case 'deleted':
    case 'failed':
      return 'expired';
    default:
      throw new SmsDeliveryError(
        'unavailable',
        `Twilio Verify answered a check with an unexpected status ${JSON.stringify(status)}`,
      );
  }
}
