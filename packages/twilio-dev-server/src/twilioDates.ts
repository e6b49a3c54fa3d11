/**
 * Twilio writes dates two ways, and its SDKs parse each with a fixed pattern:
 * Programmable Messaging (API 2010-04-01) in RFC 2822 with a numeric zone,
 * `Thu, 30 Jul 2015 20:12:31 +0000`; Verify v2 in ISO 8601 to the second,
 * `2015-07-30T20:12:31Z` (twilio-node `deserialize.rfc2822DateTime`/`iso8601DateTime`).
 */
export function rfc2822Date(milliseconds: number): string {
  // toUTCString() is RFC 7231's IMF-fixdate: the same fields, with "GMT" for the zone.
  return new Date(milliseconds).toUTCString().replace(/ GMT$/, ' +0000');
}

export function iso8601Seconds(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
