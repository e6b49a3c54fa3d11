import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { TwoFactorConfig } from '../../platform/config/pluginConfigSchema';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { TwoFactorErrorCode } from '../../platform/errors/twoFactorErrorCodes';
import type { SettingsService } from '../settings/settingsService';

const HOUR_SECONDS = 60 * 60;
const CONNECT_TIMEOUT_MILLISECONDS = 3000;

/** Every limit the plugin keeps, with its points and window from the configuration. */
const LIMITS = {
  // Sends after a right password or for a signed-in user.
  'sms-number': (c: TwoFactorConfig) => ({ points: c.maxSmsPerNumberPerHour, duration: HOUR_SECONDS }),
  // Sends anyone who knows the number can ask for (phone sign-in and sign-up): their own
  // budget, so spending it never stops the owner's password sign-in (DESIGN.md, limits).
  'sms-number-phone-only': (c: TwoFactorConfig) => ({ points: c.maxSmsPerNumberPerHour, duration: HOUR_SECONDS }),
  // Security notices: their own budget, never the sign-in ones (DESIGN.md, limits).
  'sms-notice-number': (c: TwoFactorConfig) => ({ points: c.maxSmsPerNumberPerHour, duration: HOUR_SECONDS }),
  'sms-ip': (c: TwoFactorConfig) => ({ points: c.maxSmsPerIpPerHour, duration: HOUR_SECONDS }),
  'sms-global': (c: TwoFactorConfig) => ({ points: c.maxSmsPerHour, duration: HOUR_SECONDS }),
  'phone-resend': (c: TwoFactorConfig) => ({ points: 1, duration: c.resendCooldownSeconds }),
  'requests-ip': (c: TwoFactorConfig) => ({ points: c.maxRequestsPerIpPerMinute, duration: 60 }),
  'sign-in-account': (c: TwoFactorConfig) => ({ points: c.maxSignInsPerAccountPerMinute, duration: 60 }),
  'wrong-passwords-account': (c: TwoFactorConfig) => ({
    points: c.maxWrongPasswordsPerAccount,
    duration: c.wrongPasswordWindowSeconds,
  }),
} as const;

export type LimitName = keyof typeof LIMITS;

export interface RateLimitService {
  /**
   * Takes one point of `limit` for `key`; throws `errorCode` (429, `Retry-After`) when the
   * window is spent. Shared through Redis when `redisUrl` is set, else in this process.
   */
  consume(limit: LimitName, key: string, errorCode: TwoFactorErrorCode): Promise<void>;
  /** Gives back one point taken by `consume` (a charge that must not stand). */
  refund(limit: LimitName, key: string): Promise<void>;
  /** Forgets `key`'s count for `limit` (the count is of consecutive failures). */
  reset(limit: LimitName, key: string): Promise<void>;
  /**
   * Opens the Redis connection at start-up and waits (a few seconds at most) until it is
   * ready, so the first requests already count in Redis rather than in the fallback.
   */
  connect(): Promise<void>;
  /** Where the counters live now: `memory` (no Redis configured), `redis`, or `memory-fallback` while Redis is down. */
  backend(): 'memory' | 'redis' | 'memory-fallback';
  close(): Promise<void>;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

export function createRateLimitService({
  strapi,
  settings,
}: {
  strapi: Core.Strapi;
  settings: SettingsService;
}): RateLimitService {
  const limiters = new Map<LimitName, Limiter>();
  let redis: Redis | undefined;
  let redisDown = false;

  function redisClient(url: string): Redis {
    if (redis !== undefined) return redis;
    // No offline queue: while Redis is away a limit must answer now (from memory), not hang.
    redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', (error: Error) => {
      if (redisDown) return;
      redisDown = true;
      strapi.log.error(
        `[two-factor] Redis unreachable (${error.message}): rate limits fall back to this instance's memory until it is back`,
      );
    });
    redis.on('ready', () => {
      if (redisDown) strapi.log.info('[two-factor] Redis is back: rate limits are shared again');
      redisDown = false;
    });
    return redis;
  }

  function limiter(name: LimitName): Limiter {
    const existing = limiters.get(name);
    if (existing !== undefined) return existing;
    const config = settings.config();
    const { points, duration } = LIMITS[name](config);
    const keyPrefix = `${config.redisKeyPrefix}:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    const created: Limiter =
      config.redisUrl === undefined
        ? memory
        : // Never "no limits": when Redis fails, the insurance limiter in memory takes over.
          new RateLimiterRedis({
            storeClient: redisClient(config.redisUrl),
            keyPrefix,
            points,
            duration,
            insuranceLimiter: memory,
          });
    limiters.set(name, created);
    return created;
  }

  return {
    async consume(name, key, errorCode) {
      try {
        await limiter(name).consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw twoFactorError(errorCode, { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) });
      }
    },

    async refund(name, key) {
      await limiter(name).reward(key, 1);
    },

    async reset(name, key) {
      await limiter(name).delete(key);
    },

    backend() {
      if (settings.config().redisUrl === undefined) return 'memory';
      return redisDown || redis?.status !== 'ready' ? 'memory-fallback' : 'redis';
    },

    async connect() {
      const { redisUrl } = settings.config();
      if (redisUrl === undefined) return;
      const client = redisClient(redisUrl);
      if (client.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          client.off('ready', done);
          client.off('error', done);
          resolve();
        };
        const timer = setTimeout(done, CONNECT_TIMEOUT_MILLISECONDS);
        client.once('ready', done);
        client.once('error', done);
      });
    },

    async close() {
      limiters.clear();
      if (redis !== undefined) {
        redis.disconnect();
        redis = undefined;
      }
    },
  };
}
