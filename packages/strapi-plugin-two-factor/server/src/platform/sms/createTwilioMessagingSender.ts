import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import type { SmsSender } from './smsSender';
import { twilioRequest } from './twilioRequest';
import { twilioUrl } from './twilioUrl';

interface TwilioMessagingConnection {
  accountSid: string;
  authToken: string;
  /** e.g. `https://api.twilio.com`, or a local Twilio-compatible server in tests. */
  apiBaseUrl: string;
  requestTimeoutMilliseconds: number;
}

/** Twilio wants `From` or `MessagingServiceSid`; the service wins when both are configured. */
export type TwilioMessagingOptions = TwilioMessagingConnection &
  ({ messagingServiceSid: string; from?: string } | { from: string; messagingServiceSid?: undefined });

/** Sends the plugin's own text through Programmable Messaging; the plugin makes and checks the code. */
export function createTwilioMessagingSender(options: TwilioMessagingOptions): SmsSender {
  const sender: Record<string, string> =
    options.messagingServiceSid === undefined
      ? { From: options.from }
      : { MessagingServiceSid: options.messagingServiceSid };
  const url = twilioUrl(
    options.apiBaseUrl,
    `2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`,
  );

  return {
    provider: 'twilio',
    checksCodes: false,
    async send({ to, body }): Promise<void> {
      // A 201 means Twilio queued it; carrier failures (30003, 30006…) arrive later in a status
      // callback and are not the plugin's to wait for: the user can ask for a resend.
      await twilioRequest({
        url,
        form: { To: to, ...sender, Body: body },
        accountSid: options.accountSid,
        authToken: options.authToken,
        timeoutMilliseconds: options.requestTimeoutMilliseconds,
      });
    },
    async check(): Promise<never> {
      throw new SmsCheckNotSupportedError('twilio');
    },
  };
}
