import { randomInt } from 'node:crypto';
import { SmsDeliveryError } from '../sms/smsDeliveryError';
import type { SmsLogger } from '../sms/smsLogger';
import { QueueClosedError } from './queueClosedError';

export interface AfterResponseQueueOptions {
  logger: SmsLogger;
  /** Jobs running at once. @default 4 */
  concurrency?: number;
  /** Tries per job, the first one included. @default 3 */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each later one (with jitter). @default 1000 */
  baseDelayMilliseconds?: number;
  /** A retry Twilio asks to put off longer than this (`Retry-After`) is given up. @default 60000 */
  maxDelayMilliseconds?: number;
  /**
   * Wait before a newly queued job starts, so the HTTP answer is out first: past the answer
   * floor of the routes that must not tell who exists (25 ms). A job started before it ran
   * inside its own request's wait and held up that answer: a known address's reset mail made
   * `forgot-password` slower for known addresses in the tail (issue 16). @default 30
   */
  startDelayMilliseconds?: number;
  /**
   * Up to this much more, drawn at random each time. A fixed delay puts a send's CPU on
   * whichever request arrives that long after the answer: in a steady rhythm of requests
   * (a client probing numbers one at a time) always the same kind, so the kind after a known
   * number looked slower (issue 16). @default 40
   */
  startJitterMilliseconds?: number;
}

/** `startDelayMilliseconds` unless a queue sets its own: past `ANSWER_FLOOR_MILLISECONDS` (25). */
export const DEFAULT_START_DELAY_MILLISECONDS = 30;

interface QueuedJob {
  job: () => Promise<void>;
  label: string;
  attempt: number;
  onGiveUp?: () => void;
}

/**
 * Work that must run after the HTTP response: where an answer must not reveal whether an
 * account or number exists (login step 1, `phone/login`, `phone/resend`, `forgot-password`),
 * Twilio's or the mail server's latency and failures must not be on the response path
 * (DESIGN.md, "SMS and Twilio"). SMS, email codes and Strapi's deferred password-reset mail
 * all go through it; `destroy` drains it before the database closes. In-process and best
 * effort: a send lost to a crash is recovered by the user asking for a resend.
 */
export class AfterResponseQueue {
  readonly #logger: SmsLogger;
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMilliseconds: number;
  readonly #maxDelayMilliseconds: number;
  readonly #startDelayMilliseconds: number;
  readonly #startJitterMilliseconds: number;
  readonly #ready: QueuedJob[] = [];
  #running = 0;
  #waitingToRetry = 0;
  #pumpScheduled = false;
  #closed = false;
  #idleListeners: Array<() => void> = [];

  constructor(options: AfterResponseQueueOptions) {
    if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
      throw new RangeError(`AfterResponseQueue concurrency must be a positive integer, got ${options.concurrency}`);
    }
    if (options.maxAttempts !== undefined && !(Number.isInteger(options.maxAttempts) && options.maxAttempts >= 1)) {
      throw new RangeError(`AfterResponseQueue maxAttempts must be a positive integer, got ${options.maxAttempts}`);
    }
    this.#logger = options.logger;
    this.#concurrency = options.concurrency ?? 4;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#baseDelayMilliseconds = options.baseDelayMilliseconds ?? 1000;
    this.#maxDelayMilliseconds = options.maxDelayMilliseconds ?? 60_000;
    this.#startDelayMilliseconds = options.startDelayMilliseconds ?? DEFAULT_START_DELAY_MILLISECONDS;
    this.#startJitterMilliseconds = options.startJitterMilliseconds ?? 40;
  }

  /** Jobs queued, running or waiting to be retried. */
  get pending(): number {
    return this.#ready.length + this.#running + this.#waitingToRetry;
  }

  /**
   * Queues a send. `label` names it in logs and must hold nothing secret: a masked number,
   * never the body or the code.
   * `onGiveUp` runs when the send is given up (a fallback channel for a notice).
   * @throws QueueClosedError after `close()`
   */
  enqueue(job: () => Promise<void>, label: string, onGiveUp?: () => void): void {
    if (this.#closed) throw new QueueClosedError(label);
    this.#ready.push({ job, label, attempt: 1, onGiveUp });
    this.#schedulePump();
  }

  /** Resolves once every job queued so far, retries included, has finished. */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleListeners.push(resolve));
  }

  /** Refuses new jobs and resolves when the queued ones have finished (for shutdown). */
  close(): Promise<void> {
    this.#closed = true;
    return this.drain();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // Never start a job in the caller's stack, and give the response time to leave the
    // process first: the send's own work must not show in the answer's timing, nor always in
    // the same later one's.
    setTimeout(
      () => {
        this.#pumpScheduled = false;
        this.#pump();
      },
      this.#startDelayMilliseconds + randomInt(this.#startJitterMilliseconds + 1),
    );
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const next = this.#ready.shift();
      if (next === undefined) break;
      this.#running += 1;
      // `#run` only rejects if the logger throws; that must not become an unhandled rejection.
      void this.#run(next)
        .catch(() => undefined)
        .then(() => {
          this.#running -= 1;
          this.#pump();
          this.#notifyIfIdle();
        });
    }
  }

  async #run(queued: QueuedJob): Promise<void> {
    try {
      await queued.job();
    } catch (error) {
      const retryDelay = this.#retryDelay(queued.attempt, error);
      if (retryDelay === undefined) {
        this.#logger.warn(
          `[two-factor] ${queued.label} not sent after ${queued.attempt} attempt(s): ${describeFailure(error)}`,
        );
        queued.onGiveUp?.();
        return;
      }
      // The wait does not hold a concurrency slot, so one slow retry does not stall other sends.
      this.#waitingToRetry += 1;
      setTimeout(() => {
        this.#waitingToRetry -= 1;
        this.#ready.push({ ...queued, attempt: queued.attempt + 1 });
        this.#pump();
      }, retryDelay);
    }
  }

  /** Milliseconds to wait before the next attempt, or `undefined` when the job is done for. */
  #retryDelay(attempt: number, error: unknown): number | undefined {
    if (attempt >= this.#maxAttempts) return undefined;
    // Only Twilio being down or busy passes with time; a bad or blocked number never does.
    // A timed-out request may still have been delivered; the retry then repeats the same text
    // (same code), which beats the user getting nothing.
    if (!(error instanceof SmsDeliveryError)) return undefined;
    if (error.reason !== 'unavailable' && error.reason !== 'rate-limited') return undefined;
    const backoff = this.#baseDelayMilliseconds * 2 ** (attempt - 1);
    // Equal jitter (half fixed, half random) so sends that failed together do not retry together.
    const half = Math.floor(backoff / 2);
    const jittered = backoff - half + randomInt(half + 1);
    const asked = (error.retryAfterSeconds ?? 0) * 1000;
    // Retrying before Twilio's Retry-After only fails again; too long a wait outlives the code.
    if (asked > this.#maxDelayMilliseconds) return undefined;
    return Math.max(jittered, asked);
  }

  #notifyIfIdle(): void {
    if (this.pending !== 0) return;
    const listeners = this.#idleListeners;
    this.#idleListeners = [];
    for (const listener of listeners) listener();
  }
}

/** What went wrong, without the error's message: that may quote the body or the code. */
function describeFailure(error: unknown): string {
  if (error instanceof SmsDeliveryError) {
    return error.twilioCode === undefined ? error.reason : `${error.reason} (Twilio error ${error.twilioCode})`;
  }
  return `unexpected ${error instanceof Error ? error.name : typeof error}`;
}
