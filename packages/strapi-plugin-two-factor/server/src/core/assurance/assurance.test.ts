import { describe, expect, it } from 'vitest';
import { assuranceAfterStepUp, assuranceOfSignIn, readAssurance } from './assurance';

const AT = new Date('2026-01-02T03:04:05.678Z');
const AT_SECONDS = Math.floor(AT.getTime() / 1000);

describe('assuranceOfSignIn', () => {
  it.each([
    ['sms', ['pwd', 'sms', 'mfa'], 2],
    ['totp', ['pwd', 'otp', 'mfa'], 2],
    ['recovery_code', ['pwd', 'recovery', 'mfa'], 2],
    ['email', ['pwd', 'email'], 1],
  ] as const)('should grade a password and %s as %j at AAL%i', (method, amr, aal) => {
    expect(assuranceOfSignIn('pwd', method, AT)).toEqual({ amr, aal, auth_time: AT_SECONDS });
  });

  it('should keep a provider sign-in with a factor at AAL1 without pwd or mfa', () => {
    expect(assuranceOfSignIn('fed', 'totp', AT)).toEqual({ amr: ['fed', 'otp'], aal: 1, auth_time: AT_SECONDS });
  });
});

describe('assuranceAfterStepUp', () => {
  it('should raise a password session to AAL2 with an SMS code', () => {
    const raised = assuranceAfterStepUp({ amr: ['pwd'], aal: 1, auth_time: 1 }, 'sms', AT);
    expect(raised).toEqual({ amr: ['pwd', 'sms', 'mfa'], aal: 2, auth_time: AT_SECONDS });
  });

  it('should not raise a phone-only session, proving the phone again', () => {
    const raised = assuranceAfterStepUp({ amr: ['sms'], aal: 1, auth_time: 1 }, 'sms', AT);
    expect(raised).toEqual({ amr: ['sms'], aal: 1, auth_time: AT_SECONDS });
  });

  it('should not raise a password session with an emailed code', () => {
    const raised = assuranceAfterStepUp({ amr: ['pwd'], aal: 1, auth_time: 1 }, 'email', AT);
    expect(raised).toEqual({ amr: ['pwd', 'email'], aal: 1, auth_time: AT_SECONDS });
  });
});

describe('readAssurance', () => {
  it('should read a token without aal as a password sign-in at its iat', () => {
    expect(readAssurance({ id: 1, iat: 1000, exp: 2000 })).toEqual({ amr: ['pwd'], aal: 1, auth_time: 1000 });
  });

  it('should read the claims a two-step sign-in put in', () => {
    expect(readAssurance({ iat: 1000, amr: ['pwd', 'otp', 'mfa'], aal: 2, auth_time: 990 })).toEqual({
      amr: ['pwd', 'otp', 'mfa'],
      aal: 2,
      auth_time: 990,
    });
  });
});
