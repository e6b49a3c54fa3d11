import type { RequestSpec } from '../load/protocol';

/** `BENCH_QUICK=1`: a tenth of every count, for checking the harness itself (numbers are noise). */
export const IS_QUICK_RUN = process.env.BENCH_QUICK === '1';
const size = (full: number): number => (IS_QUICK_RUN ? Math.max(2, Math.ceil(full / 10)) : full);

/** The fixed sizes of every scenario (see README.md for the SMS budget arithmetic). */
export const SIZES = {
  concurrency: 8,
  loginWarmup: size(30),
  loginRequests: size(300),
  /** Logins one at a time (latency without queueing): warm-up and timed requests. */
  loginSequentialWarmup: size(10),
  loginSequentialRequests: size(60),
  contentWarmup: size(200),
  contentRequests: size(2000),
  enumerationWarmupRounds: size(5),
  enumerationRounds: size(60),
  /** Users with an SMS factor for step 1: 60 enrolments + 330 (+3) step-1 SMS ≤ the 1000/hour budget. */
  stepOneUsers: size(60),
  /**
   * Plain Strapi and the plugin up at once, taking turns (pairedLoginScenarios.ts): turns of 40
   * at concurrency 8, 8 timed rounds (320 per kind), then 60 rounds one at a time. 80 users:
   * 80 enrolments + 40 + 320 + 10 + 60 step-1 SMS ≤ the 1000/hour budget, ≤ 7 per number.
   */
  pairedStepOneUsers: size(80),
  pairedBatch: size(40),
  pairedRounds: size(8),
  pairedSequentialRounds: size(60),
  /** Users with an SMS factor for step 2 (fresh app, fresh budgets); ≥ the wrong-code challenges. */
  verifyUsers: Math.max(size(64), 2 + size(60)),
  verifyWarmup: size(20),
  verifyRequests: size(200),
  verifySequentialWarmup: size(10),
  verifySequentialRequests: size(100),
  /** 2 + 60 challenges × 5 wrong codes each, one challenge per user (lock-out needs 10). */
  wrongCodeWarmupChallenges: 2,
  wrongCodeChallenges: size(60),
  wrongCodesPerChallenge: 5,
  /** Wrong codes and the floor request take turns in this many rounds (50 and 333 a turn). */
  wrongCodeTurns: size(6),
  /** TOTP and passkey step 2 taking turns, one at a time: warm-up and timed rounds. */
  passkeyWarmupRounds: size(10),
  passkeyRounds: size(100),
  /** Passkey users, each answering rounds / users challenges in turn. */
  passkeyUsers: size(20),
  /** Users of the CPU-profile app: one wrong-code challenge (5 codes) and two right ones each. */
  cpuProfileUsers: size(40),
  /** Each request kind is also run alone this many times for the profile (medians). */
  profileSamples: 5,
} as const;

export function loginRequest(identifier: string, password: string): RequestSpec {
  return { method: 'POST', path: '/api/auth/local', body: JSON.stringify({ identifier, password }) };
}

export function verifyRequest(token: string, code: string): RequestSpec {
  return {
    method: 'POST',
    path: '/api/two-factor/challenge/verify',
    body: JSON.stringify({ token, method: 'sms', code }),
  };
}

/**
 * The cheapest request that still goes through Strapi's router, users-permissions'
 * authentication and its permission policy: listing users without a token (403).
 */
export const CONTENT_API_REQUEST: RequestSpec = { method: 'GET', path: '/api/users' };
export const CONTENT_API_ROUTE = 'GET /api/users (no token → 403)';

export function repeat(count: number, request: (index: number) => RequestSpec, from = 0): RequestSpec[] {
  return Array.from({ length: count }, (_, index) => request(from + index));
}
