import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmsDeliveryError } from '../sms/smsDeliveryError';
import type { SmsLogger } from '../sms/smsLogger';
import { AfterResponseQueue } from './afterResponseQueue';
import { QueueClosedError } from './queueClosedError';

const LABEL = 'SMS code to +1 ••• ••• 0123';
const BODY = '482913 is your Acme verification code.';

function recordingLogger(): SmsLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (line: string): void => {
    lines.push(line);
  };
  return { lines, info: record, warn: record, error: record };
}

function queue(logger: SmsLogger = recordingLogger(), concurrency?: number): AfterResponseQueue {
  return new AfterResponseQueue({ logger, baseDelayMilliseconds: 10, concurrency });
}

/** A job that fails with `errors` in turn, then succeeds; counts its runs. */
function flakyJob(...errors: unknown[]): { job: () => Promise<void>; runs: () => number } {
  let runs = 0;
  return {
    runs: () => runs,
    job: async () => {
      runs += 1;
      const error = errors[runs - 1];
      if (error !== undefined) throw error;
    },
  };
}

const unavailable = (): SmsDeliveryError => new SmsDeliveryError('unavailable', 'Twilio answered HTTP 503');

describe('AfterResponseQueue', () => {
  it('should retry a job that failed twice as unavailable, three runs in all', async () => {
    const sms = queue();
    const flaky = flakyJob(unavailable(), unavailable());
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(3);
  });

  it('should retry a rate-limited job', async () => {
    const sms = queue();
    const flaky = flakyJob(new SmsDeliveryError('rate-limited', 'Twilio answered HTTP 429', { twilioCode: 20429 }));
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(2);
  });

  it('should stop after three attempts and log the failure once', async () => {
    const logger = recordingLogger();
    const sms = queue(logger);
    const flaky = flakyJob(unavailable(), unavailable(), unavailable(), unavailable());
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(3);
    expect(logger.lines).toEqual([`[two-factor] ${LABEL} not sent after 3 attempt(s): unavailable`]);
  });

  it('should run an invalid-phone failure once', async () => {
    const sms = queue();
    const flaky = flakyJob(new SmsDeliveryError('invalid-phone', 'Twilio answered HTTP 400', { twilioCode: 21211 }));
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(1);
  });

  it('should run a country-not-allowed failure once', async () => {
    const sms = queue();
    const flaky = flakyJob(new SmsDeliveryError('country-not-allowed', 'Twilio answered HTTP 400'));
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(1);
  });

  it('should not retry an error that is not an SmsDeliveryError', async () => {
    const sms = queue();
    const flaky = flakyJob(new TypeError('a bug'));
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(1);
  });

  it('should give up at once when Twilio asks to wait longer than the longest delay', async () => {
    const sms = queue();
    const flaky = flakyJob(new SmsDeliveryError('rate-limited', 'slow down', { retryAfterSeconds: 3600 }));
    sms.enqueue(flaky.job, LABEL);
    await sms.drain();
    expect(flaky.runs()).toBe(1);
  });

  it('should log neither the body nor the code of a failed SMS', async () => {
    const logger = recordingLogger();
    const sms = queue(logger);
    sms.enqueue(async () => {
      throw new Error(`gateway refused "${BODY}"`);
    }, LABEL);
    sms.enqueue(async () => {
      throw new SmsDeliveryError('invalid-phone', `could not send "${BODY}"`);
    }, LABEL);
    await sms.drain();
    expect(logger.lines).toHaveLength(2);
    for (const line of logger.lines) expect(line).not.toContain('482913');
  });

  describe('start delay', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** When each of `jobs` started, in fake milliseconds after its enqueue. */
    async function startDelays(
      jobs: number,
      options: { startDelayMilliseconds?: number; startJitterMilliseconds?: number },
    ) {
      vi.useFakeTimers();
      const delays: number[] = [];
      const sends = new AfterResponseQueue({ logger: recordingLogger(), ...options });
      for (let index = 0; index < jobs; index += 1) {
        const queuedAt = Date.now();
        let startedAt: number | undefined;
        sends.enqueue(async () => {
          startedAt = Date.now();
        }, LABEL);
        while (startedAt === undefined) await vi.advanceTimersByTimeAsync(1);
        delays.push(startedAt - queuedAt);
      }
      return delays;
    }

    it('should start each job between the start delay and the delay plus its jitter, not always at one point', async () => {
      const delays = await startDelays(60, { startDelayMilliseconds: 10, startJitterMilliseconds: 40 });
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(10);
      expect(Math.max(...delays)).toBeLessThanOrEqual(50);
      // 60 draws from 41 values: all alike would be a fixed delay (chance 41^-59).
      expect(new Set(delays).size).toBeGreaterThan(10);
    });

    it('should default to 30 ms plus up to 40 ms', async () => {
      const delays = await startDelays(60, {});
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
      expect(Math.max(...delays)).toBeLessThanOrEqual(70);
      expect(new Set(delays).size).toBeGreaterThan(10);
    });
  });

  it('should not start a job before enqueue has returned', () => {
    const sms = queue();
    const flaky = flakyJob();
    sms.enqueue(flaky.job, LABEL);
    expect(flaky.runs()).toBe(0);
  });

  it('should make drain wait for the jobs, retries included', async () => {
    const sms = queue();
    const flaky = flakyJob(unavailable());
    sms.enqueue(flaky.job, LABEL);
    expect(sms.pending).toBe(1);
    await sms.drain();
    expect(flaky.runs()).toBe(2);
    expect(sms.pending).toBe(0);
  });

  it('should resolve drain at once when nothing is queued', async () => {
    await expect(queue().drain()).resolves.toBeUndefined();
  });

  it('should run no more jobs at once than its concurrency', async () => {
    const sms = queue(recordingLogger(), 2);
    let running = 0;
    let mostAtOnce = 0;
    for (let index = 0; index < 6; index += 1) {
      sms.enqueue(async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      }, LABEL);
    }
    await sms.drain();
    expect(mostAtOnce).toBe(2);
  });

  it('should refuse jobs after close', async () => {
    const sms = queue();
    await sms.close();
    expect(() => sms.enqueue(async () => undefined, LABEL)).toThrow(QueueClosedError);
  });

  it('should finish the queued jobs before close resolves', async () => {
    const sms = queue();
    const flaky = flakyJob(unavailable());
    sms.enqueue(flaky.job, LABEL);
    await sms.close();
    expect(flaky.runs()).toBe(2);
  });
});
