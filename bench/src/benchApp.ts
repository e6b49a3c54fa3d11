import {
  createTestDatabase,
  type DatabaseKind,
  type ExampleApp,
  type HttpResponse,
  SmsInbox,
  type StartExampleAppOptions,
  startExampleApp,
  startExampleAppProcess,
} from '@strapi-two-factor/test-utils';
import type { SmsCount } from './rawResults';
import { ServerTimer } from './serverTimer';

export type PluginSwitch = 'plugin-on' | 'plugin-off';

/** The origin the benchmark's passkeys belong to (a software authenticator signs for it). */
export const BENCH_PASSKEY_ORIGIN = 'https://bench.example.test';

/**
 * The example app as the benchmark runs it: production mode, errors-only logging, and
 * users-permissions' own auth rate limit (per minute) raised out of the way.
 */
export function benchEnv(plugin: PluginSwitch, twilioUrl?: string): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    // Production needs its passkey origins; the passkey scenarios' software authenticator
    // signs for this origin and RP ID.
    TWO_FACTOR_PASSKEY_ORIGINS: BENCH_PASSKEY_ORIGIN,
    TWO_FACTOR_PASSKEY_RP_ID: new URL(BENCH_PASSKEY_ORIGIN).hostname,
    STRAPI_LOG_LEVEL: 'error',
    TWO_FACTOR_ENABLED: plugin === 'plugin-on' ? 'true' : 'false',
    UP_RATELIMIT_MAX: '1000000',
    // Behind a TLS-terminating proxy, as production apps are (see FORWARDED_HTTPS).
    IS_PROXIED: 'true',
  };
  if (twilioUrl !== undefined) {
    env.TWILIO_API_BASE_URL = twilioUrl;
    env.TWILIO_VERIFY_BASE_URL = twilioUrl;
  }
  return env;
}

/**
 * In production users-permissions marks its refresh cookie `Secure`, and Koa refuses to set
 * one on a plain-HTTP request (500). Production apps sit behind a TLS-terminating proxy:
 * every bench request says `X-Forwarded-Proto: https`, and the app trusts it (`IS_PROXIED`).
 */
export const FORWARDED_HTTPS: Readonly<Record<string, string>> = { 'x-forwarded-proto': 'https' };

/**
 * Preparation requests are retried once when the connection fails before an answer (a rare
 * `ECONNRESET` was seen once in many runs); the message says whether Strapi's global still
 * points at this app, to tell a dropped connection from a torn-down app. Timed requests never
 * retry: they come from the load generator, and a failure there fails the run.
 */
async function retryNetworkFailure<T>(app: ExampleApp, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof TypeError) || error.message !== 'fetch failed') throw error;
    const globalStrapi = (globalThis as { strapi?: unknown }).strapi;
    const state = globalStrapi === app.strapi ? 'this app' : globalStrapi === undefined ? 'gone' : 'another app';
    process.stdout.write(
      `[bench] warning: ${what} failed at the network level (${String((error as { cause?: unknown }).cause)}); global strapi: ${state}; retrying once\n`,
    );
    return request();
  }
}

export interface BenchApp {
  app: ExampleApp;
  plugin: PluginSwitch;
  /** The outbox of the out-of-process Twilio server the app sends to. */
  inbox: SmsInbox;
  timer: ServerTimer;
  /** In-process requests for preparation and profiling, through the emulated TLS proxy. */
  post<Body = unknown>(path: string, body: unknown, jwt?: string): Promise<HttpResponse<Body>>;
  get<Body = unknown>(path: string): Promise<HttpResponse<Body>>;
  stop(): Promise<void>;
}

export async function startBenchApp(
  database: DatabaseKind,
  plugin: PluginSwitch,
  twilioUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<BenchApp> {
  const options: StartExampleAppOptions = { database, env: { ...benchEnv(plugin, twilioUrl), ...extraEnv } };
  const app = await startExampleApp(options);
  const inbox = new SmsInbox(twilioUrl);
  await inbox.clear();
  return {
    app,
    plugin,
    inbox,
    timer: new ServerTimer(app.strapi.server.httpServer),
    post: (path, body, jwt) =>
      retryNetworkFailure(app, `POST ${path}`, () =>
        app.http.post(path, body, { jwt, headers: { ...FORWARDED_HTTPS } }),
      ),
    get: (path) =>
      retryNetworkFailure(app, `GET ${path}`, () => app.http.get(path, { headers: { ...FORWARDED_HTTPS } })),
    stop: () => app.stop(),
  };
}

/**
 * The example app in a child process of its own, on a fresh database, as `startBenchApp`
 * boots it (production, the emulated TLS proxy): for comparisons that need two apps up at
 * once (Strapi keeps one global `strapi` per process). No server timer: its latencies are
 * the load generator's.
 */
export interface BenchAppProcess {
  plugin: PluginSwitch;
  url: string;
  pid: number;
  client: Pick<BenchApp, 'post' | 'inbox'>;
  stop(): Promise<void>;
}

export async function startBenchAppProcess(
  database: DatabaseKind,
  plugin: PluginSwitch,
  twilioUrl: string,
): Promise<BenchAppProcess> {
  const testDatabase = await createTestDatabase(database);
  try {
    const child = await startExampleAppProcess({
      databaseEnv: testDatabase.env,
      twilioUrl,
      env: benchEnv(plugin, twilioUrl),
    });
    return {
      plugin,
      url: child.url,
      pid: child.pid,
      client: {
        inbox: new SmsInbox(twilioUrl),
        post: (path, body, jwt) => child.http.post(path, body, { jwt, headers: { ...FORWARDED_HTTPS } }),
      },
      async stop() {
        try {
          await child.stop();
        } finally {
          await testDatabase.drop();
        }
      },
    };
  } catch (error) {
    await testDatabase.drop();
    throw error;
  }
}

/** Resolves once the plugin's SMS queue has handed every queued SMS to Twilio. */
export async function drainSms(bench: BenchApp): Promise<void> {
  if (bench.plugin === 'plugin-on') await bench.app.strapi.plugin('two-factor').service('sms').drain();
}

/** What the app sent to the Twilio server since it started (the outbox is cleared at start). */
export async function countSms(bench: BenchApp): Promise<SmsCount> {
  await drainSms(bench);
  return countOutbox(bench.inbox);
}

/** What the Twilio server holds now: in all, and the most to one number. */
export async function countOutbox(inbox: SmsInbox): Promise<SmsCount> {
  const perNumber = new Map<string, number>();
  const messages = await inbox.messages();
  for (const message of messages) perNumber.set(message.to, (perNumber.get(message.to) ?? 0) + 1);
  return { total: messages.length, mostToOneNumber: Math.max(0, ...perNumber.values()) };
}
