/**
 * Twilio's error catalogue for the codes this server can answer with. Statuses and texts
 * follow Twilio's API reference (https://www.twilio.com/docs/errors/<code>).
 */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

interface TwilioErrorDefinition {
  status: number;
  message: string;
}

export const TWILIO_ERRORS = {
  20003: { status: 401, message: 'Authenticate' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'Internal Server Error' },
  20503: { status: 503, message: 'Service Unavailable' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21408: {
    status: 400,
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  },
  21212: {
    status: 400,
    message: "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID.",
  },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21606: {
    status: 400,
    message:
      "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  },
  21608: {
    status: 400,
    message: 'The number is unverified. Trial accounts cannot send messages to unverified numbers.',
  },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21611: { status: 429, message: 'SMS queue is full.' },
  21612: {
    status: 400,
    message: "The 'To' phone number is not currently reachable using the 'From' phone number via SMS.",
  },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  21701: { status: 400, message: 'The Messaging Service does not exist' },
  60200: { status: 400, message: 'Invalid parameter' },
  60202: { status: 429, message: 'Max check attempts reached' },
  60203: { status: 429, message: 'Max send attempts reached' },
  60205: { status: 403, message: 'SMS is not supported by landline phone number' },
  60212: { status: 429, message: 'Too many concurrent requests for phone number' },
  60605: { status: 403, message: 'Verification delivery attempt blocked' },
} as const satisfies Record<number, TwilioErrorDefinition>;

export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

export function isTwilioErrorCode(code: number): code is TwilioErrorCode {
  return Object.hasOwn(TWILIO_ERRORS, code);
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
export function twilioErrorBody(code: TwilioErrorCode, message?: string): TwilioErrorBody {
  const definition = TWILIO_ERRORS[code];
  return {
    code,
    message: message ?? definition.message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status: definition.status,
  };
}
