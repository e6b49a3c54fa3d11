import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { twoFactorError } from '../errors/twoFactorError';

export interface PhoneRules {
  /** ISO 3166-1 alpha-2 codes; empty allows every country. */
  allowedCountries: readonly string[];
  /** Region for numbers written without `+`. */
  defaultRegion?: string;
}

/**
 * The E.164 form of a number a person typed (`(415) 555-0100`, `+1 415-555-0100` …), so one
 * number has one spelling in the database. Full metadata (`/max`) so that impossible
 * numbers are refused here, not by Twilio after a paid attempt.
 */
export function normalizePhone(input: unknown, rules: PhoneRules): string {
  if (typeof input !== 'string' || input.trim() === '' || input.length > 40) {
    throw twoFactorError('INVALID_PHONE');
  }
  // The config validator only lets ISO 3166-1 alpha-2 codes through.
  const parsed = parsePhoneNumberFromString(input.trim(), {
    defaultCountry: rules.defaultRegion as CountryCode | undefined,
  });
  if (parsed === undefined || !parsed.isValid()) throw twoFactorError('INVALID_PHONE');
  if (
    rules.allowedCountries.length > 0 &&
    (parsed.country === undefined || !rules.allowedCountries.includes(parsed.country))
  ) {
    throw twoFactorError('COUNTRY_NOT_ALLOWED');
  }
  return parsed.number;
}
