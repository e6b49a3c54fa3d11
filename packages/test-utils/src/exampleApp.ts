import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '@strapi/strapi';
import { createTwilioDevServer, type TwilioDevServer } from '@strapi-two-factor/twilio-dev-server';
import { createTestDatabase, type DatabaseKind, databaseUnderTest, type TestDatabase } from './databases';
import { HttpClient } from './httpClient';
import { SmsInbox } from './smsInbox';

const here = path.dirname(fileURLToPath(import.meta.url));
// Strapi's ESM build does not load under vitest's ESM loader; its CommonJS build does.
const { createStrapi } = createRequire(import.meta.url)('@strapi/strapi') as typeof import('@strapi/strapi');

export const EXAMPLE_APP_DIR = path.resolve(here, '..', '..', '..', 'apps', 'example');

/** Twilio resources the example app is pointed at in tests. */
export const TEST_TWILIO = {
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: 'test-auth-token',
  from: '+15005550006',
  messagingServiceSid: `MG${'2'.repeat(32)}`,
  verifyServiceSid: `VA${'3'.repeat(32)}`,
} as const;

export interface StartExampleAppOptions {
  /** Defaults to the database of the current vitest project (`TEST_DATABASE`). */
  database?: DatabaseKind;
  /** Extra variables for the app, e.g. `{ UP_JWT_MANAGEMENT: 'legacy-support' }`. */
  env?: Record<string, string>;
}

export interface ExampleApp {
  strapi: Core.Strapi;
  database: TestDatabase;
  twilio: TwilioDevServer;
  /** JSON client for `http://127.0.0.1:<port>`. */
  http: HttpClient;
  /** Reads what the Twilio-compatible server received, over its HTTP outbox. */
  sms: SmsInbox;
  url: string;
  stop(): Promise<void>;
}

type ListenerSnapshot = [string | symbol, ((...args: unknown[]) => void)[]][];

function snapshotProcessListeners(): ListenerSnapshot {
  return process.eventNames().map((name) => [name, process.listeners(name as NodeJS.Signals) as never]);
}

/**
 * `strapi.destroy()` ends with `process.removeAllListeners()`, which would also cut the
 * test runner's IPC channel; put back exactly what was there before Strapi started.
 */
function restoreProcessListeners(snapshot: ListenerSnapshot): void {
  process.removeAllListeners();
  for (const [name, listeners] of snapshot) {
    for (const listener of listeners) process.on(name as NodeJS.Signals, listener);
  }
}

function randomSecret(): string {
  return randomBytes(24).toString('base64');
}

/**
 * Every variable the example app's config reads, so a developer's own `.env` (which
 * Strapi's dotenv would otherwise fill in) never leaks into a test run.
 */
export function baseEnv(twilioUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    IS_PROXIED: 'false',
    PROXY_HOPS: '1',
    APP_KEYS: [randomSecret(), randomSecret()].join(','),
    API_TOKEN_SALT: randomSecret(),
    ADMIN_JWT_SECRET: randomSecret(),
    TRANSFER_TOKEN_SALT: randomSecret(),
    JWT_SECRET: randomSecret(),
    ENCRYPTION_KEY: randomSecret(),
    SERVE_ADMIN_PANEL: 'false',
    STRAPI_LOG_LEVEL: process.env.STRAPI_LOG_LEVEL ?? 'warn',
    STRAPI_TELEMETRY_DISABLED: 'true',
    UP_JWT_MANAGEMENT: 'refresh',
    UP_SESSIONS_HTTP_ONLY: 'true',
    // Tests sign in many times a minute from one address.
    UP_RATELIMIT_MAX: '1000',
    TWO_FACTOR_ENABLED: 'true',
    TWO_FACTOR_APP_NAME: 'Example',
    TWO_FACTOR_ENCRYPTION_KEY: '',
    TWO_FACTOR_CODE_LIFETIME_SECONDS: '300',
    TWO_FACTOR_REDIS_URL: '',
    TWO_FACTOR_MAX_SMS_PER_HOUR: '1000',
    // Every test request comes from 127.0.0.1.
    TWO_FACTOR_MAX_SMS_PER_IP_PER_HOUR: '10000',
    TWO_FACTOR_MAX_REQUESTS_PER_IP_PER_MINUTE: '100000',
    TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE: '1000',
    TWO_FACTOR_REDIS_KEY_PREFIX: `two-factor-test-${randomBytes(6).toString('hex')}`,
    TWO_FACTOR_SMS_PROVIDER: 'twilio',
    TWO_FACTOR_PHONE_SIGN_IN: 'true',
    TWO_FACTOR_ALLOWED_COUNTRIES: '',
    TWO_FACTOR_DEFAULT_REGION: 'US',
    TWO_FACTOR_PHONE_SIGN_UP_WITHOUT_EMAIL: 'true',
    TWO_FACTOR_PASSKEY_RP_ID: 'localhost',
    // Empty: the plugin accepts the app's own http://localhost:PORT and http://127.0.0.1:PORT
    // with the port it listens on, which only exists once PORT=0 was bound.
    TWO_FACTOR_PASSKEY_ORIGINS: '',
    TWO_FACTOR_PASSKEY_USER_VERIFICATION: 'required',
    SMTP_HOST: '',
    SMTP_PORT: '',
    SMTP_IGNORE_TLS: 'true',
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_FROM: TEST_TWILIO.from,
    TWILIO_MESSAGING_SERVICE_SID: '',
    TWILIO_VERIFY_SERVICE_SID: TEST_TWILIO.verifyServiceSid,
    TWILIO_API_BASE_URL: twilioUrl,
    TWILIO_VERIFY_BASE_URL: twilioUrl,
    // No third-party sign-in provider unless a test starts one (`OAuthProvider.env()`).
    OAUTH_DEV_PROVIDER_URL: '',
    OAUTH_DEV_PROVIDER_CLIENT_ID: '',
    OAUTH_DEV_PROVIDER_CLIENT_SECRET: '',
    OAUTH_DEV_PROVIDER_CALLBACK: '',
  };
}

/**
 * Boots the real example Strapi app in this process on a fresh database, with a fresh
 * Twilio-compatible server, listening on a free port of 127.0.0.1.
 */
export async function startExampleApp(options: StartExampleAppOptions = {}): Promise<ExampleApp> {
  const twilio = createTwilioDevServer({ accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken });
  const twilioUrl = await twilio.listen();
  const database = await createTestDatabase(options.database ?? databaseUnderTest());
  Object.assign(process.env, baseEnv(twilioUrl), database.env, options.env);

  const listeners = snapshotProcessListeners();
  let strapi: Core.Strapi | undefined;
  try {
    strapi = createStrapi({ appDir: EXAMPLE_APP_DIR, distDir: path.join(EXAMPLE_APP_DIR, 'dist') });
    await strapi.load();
    await strapi.listen();
  } catch (error) {
    await strapi?.destroy().catch(() => undefined);
    restoreProcessListeners(listeners);
    await database.drop();
    await twilio.close();
    throw error;
  }
  const { port } = strapi.server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const started = strapi;
  return {
    strapi: started,
    database,
    twilio,
    http: new HttpClient(url),
    sms: new SmsInbox(twilioUrl),
    url,
    async stop() {
      try {
        await started.destroy();
      } finally {
        restoreProcessListeners(listeners);
      }
      await database.drop();
      await twilio.close();
    },
  };
}
