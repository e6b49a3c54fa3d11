import { describe, expect, it } from 'vitest';
import { iso8601Seconds, rfc2822Date } from './twilioDates';

describe('Twilio date formats', () => {
  const instant = Date.UTC(2015, 6, 30, 20, 12, 31, 456);

  it('should write Messaging dates in RFC 2822 with +0000, as Twilio does', () => {
    expect(rfc2822Date(instant)).toBe('Thu, 30 Jul 2015 20:12:31 +0000');
  });

  it('should write Verify dates in ISO 8601 without milliseconds', () => {
    expect(iso8601Seconds(instant)).toBe('2015-07-30T20:12:31Z');
  });
});
