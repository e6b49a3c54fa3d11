import { describe, expect, it } from 'vitest';
import {
  assuranceAfterPasskeyStepUp,
  assuranceOfPasskeySecondStep,
  assuranceOfPasskeySignIn,
  readAssurance,
} from '../../core/assurance/assurance';

const at = new Date('2026-01-01T00:00:00Z');
const seconds = at.getTime() / 1000;

describe('passkey assurance', () => {
  it('should name a device-bound passkey hwk and a synced one swk', () => {
    expect(assuranceOfPasskeySecondStep('pwd', { backedUp: false, userVerified: true }, at).amr).toEqual([
      'pwd',
      'hwk',
      'mfa',
    ]);
    expect(assuranceOfPasskeySecondStep('pwd', { backedUp: true, userVerified: true }, at).amr).toEqual([
      'pwd',
      'swk',
      'mfa',
    ]);
  });

  it('should be AAL2 after a password even without user verification', () => {
    expect(assuranceOfPasskeySecondStep('pwd', { backedUp: false, userVerified: false }, at)).toEqual({
      amr: ['pwd', 'hwk', 'mfa'],
      aal: 2,
      auth_time: seconds,
    });
  });

  it("should be AAL2 after a provider's sign-in only with user verification", () => {
    expect(assuranceOfPasskeySecondStep('fed', { backedUp: false, userVerified: false }, at).aal).toBe(1);
    expect(assuranceOfPasskeySecondStep('fed', { backedUp: false, userVerified: true }, at).aal).toBe(2);
  });

  it('should make a user-verified passkey alone AAL2 and refuse one without verification', () => {
    expect(assuranceOfPasskeySignIn({ backedUp: true, userVerified: true }, at)).toEqual({
      amr: ['swk', 'mfa'],
      aal: 2,
      auth_time: seconds,
    });
    expect(() => assuranceOfPasskeySignIn({ backedUp: true, userVerified: false }, at)).toThrow();
  });

  it('should raise a password session by a passkey step-up', () => {
    const raised = assuranceAfterPasskeyStepUp(
      { amr: ['pwd'], aal: 1, auth_time: 1 },
      { backedUp: false, userVerified: false },
      at,
    );
    expect(raised).toEqual({ amr: ['pwd', 'hwk', 'mfa'], aal: 2, auth_time: seconds });
  });

  it('should read hwk and swk back from a token', () => {
    expect(readAssurance({ aal: 2, amr: ['swk', 'mfa'], auth_time: 5 }).amr).toEqual(['swk', 'mfa']);
  });
});
