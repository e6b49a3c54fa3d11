import { SmsDeliveryError } from './smsDeliveryError';
import { twilioErrorReason } from './twilioErrorReason';

// Plain `fetch` rather than the `twilio` SDK: the plugin makes three REST calls, the SDK is
// 29 MB with axios, and its `edge`/`region` options only rewrite the host name, so pointing
// it at a loopback Twilio-compatible server for tests would need a custom HTTP client anyway.

export interface TwilioRequest {
  /** Full URL of the Twilio endpoint. */
  url: string;
  /** Form fields, sent `application/x-www-form-urlencoded`. */
  form: Record<string, string>;
  /** HTTP Basic user name: the Account SID (or an API key SID). */
  accountSid: string;
  /** HTTP Basic password: the auth token (or the API key's secret). */
  authToken: string;
  /** Give up, as `unavailable`, after this long. */
  timeoutMilliseconds: number;
}

/** A JSON object Twilio answered with; empty when a success carried no readable JSON. */
export type TwilioResource = Record<string, unknown>;

/**
 * POSTs a form to Twilio and returns the JSON resource of a 2xx answer.
 * @throws SmsDeliveryError for Twilio's error answers, timeouts and network failures
 */
export async function twilioRequest(request: TwilioRequest): Promise<TwilioResource> {
  const credentials = Buffer.from(`${request.accountSid}:${request.authToken}`, 'utf8').toString('base64');
  // One signal for the whole exchange: it also aborts a body that stalls after the headers.
  const signal = AbortSignal.timeout(request.timeoutMilliseconds);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${credentials}`,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(request.form).toString(),
      signal,
      // Twilio never redirects these calls; following one would send the credentials to a
      // host nobody configured.
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throw new SmsDeliveryError('unavailable', describeFetchFailure(error, request), { cause: error });
  }

  const json = parseJsonObject(text);
  if (response.ok) return json ?? {};

  const twilioCode = typeof json?.code === 'number' ? json.code : undefined;
  const reason = twilioErrorReason({ twilioCode, httpStatus: response.status });
  const retryAfterSeconds =
    reason === 'rate-limited' ? parseRetryAfterSeconds(response.headers.get('retry-after')) : undefined;
  const twilioMessage = typeof json?.message === 'string' ? redactFormValues(json.message, request.form) : undefined;
  const summary = `Twilio answered HTTP ${response.status}${twilioCode === undefined ? '' : ` with error ${twilioCode}`}`;
  throw new SmsDeliveryError(reason, twilioMessage === undefined ? summary : `${summary}: ${twilioMessage}`, {
    twilioCode,
    retryAfterSeconds,
  });
}

function describeFetchFailure(error: unknown, request: TwilioRequest): string {
  const origin = new URL(request.url).origin;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `Twilio at ${origin} did not answer within ${request.timeoutMilliseconds} ms`;
  }
  return `Could not reach Twilio at ${origin}`;
}

function parseJsonObject(text: string): TwilioResource | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TwilioResource) : undefined;
  } catch {
    // A proxy's HTML error page, an empty body: the HTTP status still says what happened.
    return undefined;
  }
}

/**
 * Twilio's messages may echo what we sent ("The 'To' number +1… is not valid"). Error messages
 * end up in logs, so every form value (the number, the SMS body with its code) is replaced by
 * its field name.
 */
function redactFormValues(message: string, form: Record<string, string>): string {
  let redacted = message;
  // Longest first, so a value that contains another is replaced whole.
  const fields = Object.entries(form)
    .filter(([, value]) => value.length >= 3)
    .sort(([, a], [, b]) => b.length - a.length);
  for (const [name, value] of fields) redacted = redacted.split(value).join(`[${name}]`);
  return redacted;
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
