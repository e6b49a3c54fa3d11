import type { SmsDeliveryReason } from './smsDeliveryError';

/**
 * Twilio error codes (https://www.twilio.com/docs/errors/<code>) with the answer each one
 * gives the user. A code is listed here only when the user can act on it; everything else is
 * `unavailable`, which tells them the SMS failed and lets them ask for another.
 */
const REASON_BY_TWILIO_CODE: Readonly<Record<number, SmsDeliveryReason>> = {
  // The number itself cannot take our SMS: the user must enter another one.
  21211: 'invalid-phone', // `To` is not a valid phone number
  21604: 'invalid-phone', // `To` is missing: an empty number is not a phone number
  21612: 'invalid-phone', // `To` cannot be reached by SMS (unroutable destination)
  21614: 'invalid-phone', // `To` is not a mobile number
  60200: 'invalid-phone', // Verify: invalid parameter; on a send the only user-supplied one is `To`
  60205: 'invalid-phone', // Verify: `To` is a landline
  // The recipient replied STOP: nothing reaches them until they reply START, retrying only
  // costs money, and the only thing the user can do right now is use another number.
  21610: 'invalid-phone',

  // The number is fine but we may not send there: the app's Geo Permissions block its country.
  21408: 'country-not-allowed',
  60605: 'country-not-allowed', // Verify: geo permission block

  // Too many requests: Twilio's API-wide limit, Verify's 5 sends per number per 10 minutes,
  // Verify's concurrency limit per number, and Verify's 5 checks (the Verify sender turns this
  // last one into a rejected code before it gets here; listed so a stray one is still a 429).
  20429: 'rate-limited',
  60202: 'rate-limited',
  60203: 'rate-limited',
  60212: 'rate-limited',

  // Our side is wrong or down, not the user's: wrong credentials (20003), unknown service or
  // resource (20404), trial account sending to an unverified number (21608), a `From` that
  // cannot send SMS (21606), a missing `From` (21603) or Messaging Service (21701), an empty
  // or overlong body (21602, 21617), a Verify feature the account lacks (60204), Twilio's own
  // failures (20500, 20503). Listed to record
  // the decision; any code not in this map is `unavailable` too.
  20003: 'unavailable',
  20404: 'unavailable',
  20500: 'unavailable',
  20503: 'unavailable',
  21602: 'unavailable',
  21603: 'unavailable',
  21606: 'unavailable',
  21608: 'unavailable',
  21617: 'unavailable',
  21701: 'unavailable',
  60204: 'unavailable',
};

/**
 * Maps a failed Twilio answer to the reason the plugin reports. `twilioCode` comes from
 * Twilio's JSON error body; `httpStatus` is used only when that code is missing or unknown.
 */
export function twilioErrorReason(failure: { twilioCode?: number; httpStatus?: number }): SmsDeliveryReason {
  const known = failure.twilioCode === undefined ? undefined : REASON_BY_TWILIO_CODE[failure.twilioCode];
  if (known !== undefined) return known;
  // A 429 means "slow down" whatever the code (a proxy in front of Twilio may send a bare one).
  if (failure.httpStatus === 429) return 'rate-limited';
  // 5xx, timeouts, network errors, 4xx we did not foresee: none is the user's fault.
  return 'unavailable';
}
