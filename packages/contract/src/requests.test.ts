import { describe, expect, it } from 'vitest';
import { factorSetupBody, reauthenticationBody, smsActivateBody, totpActivateBody } from './requests.js';

describe('request bodies', () => {
  it('should take a fresh code or a passkey answer as re-authentication', () => {
    expect(reauthenticationBody.safeParse({ method: 'totp', code: '123456' }).success).toBe(true);
    expect(reauthenticationBody.safeParse({ method: 'passkey', response: { id: 'x' } }).success).toBe(true);
    expect(reauthenticationBody.safeParse({ method: 'passkey' }).success).toBe(false);
    expect(reauthenticationBody.safeParse({ method: 'carrier-pigeon', code: '123456' }).success).toBe(false);
  });

  it('should take an empty setup body for the first factor', () => {
    expect(factorSetupBody.safeParse({}).success).toBe(true);
  });

  it('should coerce a factor id sent as a string, as forms send it', () => {
    expect(totpActivateBody.parse({ factorId: '7', code: '123456' })).toEqual({ factorId: 7, code: '123456' });
    expect(smsActivateBody.safeParse({ factorId: '7', code: '1' }).success).toBe(true);
    expect(totpActivateBody.safeParse({ factorId: 0, code: '123456' }).success).toBe(false);
  });
});
