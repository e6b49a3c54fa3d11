import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_START_DELAY_MILLISECONDS } from '../platform/queue/afterResponseQueue';
import { ANSWER_FLOOR_MILLISECONDS, answerNoSoonerThan } from './answerNoSoonerThan';

describe('answerNoSoonerThan', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Milliseconds (fake) until `promise` settles. */
  async function timeToSettle(promise: Promise<unknown>): Promise<number> {
    const startedAt = Date.now();
    let settled = false;
    promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled) await vi.advanceTimersByTimeAsync(1);
    return Date.now() - startedAt;
  }

  it('should hold a fast answer until the floor', async () => {
    const answer = answerNoSoonerThan(25, async () => 'ok');
    expect(await timeToSettle(answer)).toBe(25);
    await expect(answer).resolves.toBe('ok');
  });

  it('should hold a fast refusal until the floor too', async () => {
    const refusal = answerNoSoonerThan(25, async () => {
      throw new Error('RESEND_TOO_SOON');
    });
    refusal.catch(() => undefined);
    expect(await timeToSettle(refusal)).toBe(25);
    await expect(refusal).rejects.toThrow('RESEND_TOO_SOON');
  });

  it('should add nothing to an answer slower than the floor', async () => {
    const slow = answerNoSoonerThan(25, () => new Promise((resolve) => setTimeout(() => resolve('late'), 40)));
    expect(await timeToSettle(slow)).toBe(40);
  });

  it('should count only what is left after the work', async () => {
    const partly = answerNoSoonerThan(25, () => new Promise((resolve) => setTimeout(() => resolve('ok'), 10)));
    expect(await timeToSettle(partly)).toBe(25);
  });

  it('should hold the answers of phone/login, phone/resend, passkey/login/verify and forgot-password 25 ms', () => {
    expect(ANSWER_FLOOR_MILLISECONDS).toBe(25);
  });

  it("should leave the after-response queue's jobs for after the floored answer", () => {
    // A job queued during a floored request (a known address's reset mail, a known number's
    // SMS) must not start inside that request's wait and hold its answer up.
    expect(DEFAULT_START_DELAY_MILLISECONDS).toBeGreaterThan(ANSWER_FLOOR_MILLISECONDS);
  });
});
