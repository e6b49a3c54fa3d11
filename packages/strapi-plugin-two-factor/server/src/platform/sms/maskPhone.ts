import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const HIDDEN = '••• •••';

/**
 * Shows enough of a number for its owner to recognise it (`+1 ••• ••• 4567`) and not enough
 * for anyone else to learn it: the country calling code and at most the last 4 digits, fewer
 * for short national numbers so at least half of them stays hidden.
 */
export function maskPhone(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed !== undefined) {
    return `+${parsed.countryCallingCode} ${HIDDEN} ${lastDigits(parsed.nationalNumber)}`.trimEnd();
  }
  // Not a number libphonenumber knows: where the country code ends is unknown, so hide it too.
  return `${HIDDEN} ${lastDigits(phone.replace(/\D/g, ''))}`.trimEnd();
}

function lastDigits(digits: string): string {
  const shown = Math.min(4, Math.floor(digits.length / 2));
  return shown === 0 ? '' : digits.slice(-shown);
}
