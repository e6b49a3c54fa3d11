import { randomInt } from 'node:crypto';
import { twilioSid } from './outbox';
import { iso8601Seconds } from './twilioDates';

/** Twilio Verify keeps a verification open for 10 minutes. */
export const VERIFICATION_LIFETIME_MILLISECONDS = 10 * 60 * 1000;
/** Twilio Verify allows 5 sends per number per verification window (60203 after). */
export const MAX_SEND_ATTEMPTS = 5;
/** Twilio Verify judges 5 wrong codes, then answers 60202. */
export const MAX_CHECK_ATTEMPTS = 5;

export interface Verification {
  sid: string;
  serviceSid: string;
  accountSid: string;
  to: string;
  channel: string;
  code: string;
  status: 'pending' | 'approved' | 'canceled';
  sendAttempts: { attempt_sid: string; channel: string; time: string }[];
  wrongChecks: number;
  createdAt: number;
  updatedAt: number;
}

export type StartResult = { outcome: 'sent'; verification: Verification } | { outcome: 'max-send-attempts' };

export type CheckResult =
  | { outcome: 'approved'; verification: Verification }
  | { outcome: 'wrong-code'; verification: Verification }
  | { outcome: 'max-check-attempts' }
  | { outcome: 'not-found' };

/** The state Twilio Verify keeps per service and number, with its documented limits. */
export class Verifications {
  readonly #byKey = new Map<string, Verification>();

  #key(serviceSid: string, to: string): string {
    return `${serviceSid}:${to}`;
  }

  #live(serviceSid: string, to: string, now: number): Verification | undefined {
    const key = this.#key(serviceSid, to);
    const verification = this.#byKey.get(key);
    if (verification === undefined) return undefined;
    if (now - verification.createdAt >= VERIFICATION_LIFETIME_MILLISECONDS) {
      this.#byKey.delete(key);
      return undefined;
    }
    return verification;
  }

  start(input: { serviceSid: string; accountSid: string; to: string; channel: string }, now: number): StartResult {
    const existing = this.#live(input.serviceSid, input.to, now);
    const attempt = { attempt_sid: twilioSid('VL'), channel: input.channel, time: iso8601Seconds(now) };
    if (existing !== undefined) {
      if (existing.sendAttempts.length >= MAX_SEND_ATTEMPTS) return { outcome: 'max-send-attempts' };
      // Twilio Verify resends the same code while the verification is open.
      existing.sendAttempts.push(attempt);
      existing.updatedAt = now;
      return { outcome: 'sent', verification: existing };
    }
    const verification: Verification = {
      sid: twilioSid('VE'),
      serviceSid: input.serviceSid,
      accountSid: input.accountSid,
      to: input.to,
      channel: input.channel,
      code: randomInt(0, 1_000_000).toString().padStart(6, '0'),
      status: 'pending',
      sendAttempts: [attempt],
      wrongChecks: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.#byKey.set(this.#key(input.serviceSid, input.to), verification);
    return { outcome: 'sent', verification };
  }

  check(input: { serviceSid: string; to?: string; verificationSid?: string; code: string }, now: number): CheckResult {
    let verification: Verification | undefined;
    if (input.to !== undefined) {
      verification = this.#live(input.serviceSid, input.to, now);
    } else {
      const found = [...this.#byKey.values()].find((v) => v.sid === input.verificationSid);
      verification = found === undefined ? undefined : this.#live(found.serviceSid, found.to, now);
    }
    if (verification === undefined || verification.serviceSid !== input.serviceSid) return { outcome: 'not-found' };
    if (verification.wrongChecks >= MAX_CHECK_ATTEMPTS) return { outcome: 'max-check-attempts' };
    verification.updatedAt = now;
    if (input.code === verification.code) {
      verification.status = 'approved';
      // An approved verification is gone: checking it again is 20404.
      this.#byKey.delete(this.#key(verification.serviceSid, verification.to));
      return { outcome: 'approved', verification };
    }
    verification.wrongChecks += 1;
    return { outcome: 'wrong-code', verification };
  }

  clear(): void {
    this.#byKey.clear();
  }
}
