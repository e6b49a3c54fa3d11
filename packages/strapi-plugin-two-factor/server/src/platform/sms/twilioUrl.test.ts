import { describe, expect, it } from 'vitest';
import { twilioUrl } from './twilioUrl';

describe('twilioUrl', () => {
  it('should join a base URL and a path with one slash', () => {
    expect(twilioUrl('https://api.twilio.com/', '/2010-04-01/Accounts')).toBe(
      'https://api.twilio.com/2010-04-01/Accounts',
    );
  });

  it('should keep a path prefix in the base URL', () => {
    expect(twilioUrl('https://proxy.example/twilio', 'v2/Services')).toBe('https://proxy.example/twilio/v2/Services');
  });
});
