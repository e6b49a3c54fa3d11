import { type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { baseEnv, EXAMPLE_APP_DIR } from './exampleApp';
import { HttpClient } from './httpClient';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The script the child runs: plain CommonJS, since the child has no TypeScript loader. */
export const EXAMPLE_APP_PROCESS_SCRIPT = path.join(here, 'exampleAppProcessMain.cjs');

/**
 * The secrets every instance of one deployment shares: tokens signed, codes hashed and
 * secrets encrypted by one instance must be read by the others.
 */
export const SHARED_SECRET_VARIABLES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'TWO_FACTOR_ENCRYPTION_KEY',
] as const;

/** What the child needs from this process's environment to run at all; nothing app-specific. */
const SYSTEM_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot'] as const;

export interface StartExampleAppProcessOptions {
  /** Strapi's `DATABASE_*` variables of the database to share, e.g. an in-process app's `app.database.env`. */
  databaseEnv: Record<string, string>;
  /** The Twilio-compatible server to send through (`TEST_TWILIO` credentials), e.g. `app.twilio.url`. */
  twilioUrl: string;
  /** Extra variables, laid over everything else, e.g. `{ TWO_FACTOR_REDIS_URL: … }`. */
  env?: Record<string, string>;
  /** How long to wait for the app to listen; 120 s by default. */
  startTimeoutMilliseconds?: number;
}

export interface ExampleAppProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** JSON client for `url`. */
  http: HttpClient;
  /** The child's process id. */
  pid: number;
  /** SIGTERM, then waits for `strapi.destroy()` and the exit; rejects unless the child exits with 0. */
  stop(): Promise<void>;
}

function pick(source: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

function exited(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Boots the example app in a child `node` process, as a second instance next to one that
 * `startExampleApp` runs in this process: same database (`databaseEnv`), same Twilio server
 * (`twilioUrl`) and, like instances of one deployment, the same secrets, taken from this
 * process's environment (where `startExampleApp` put them) unless `env` sets them. Needs the
 * compiled app (`npm run build`). The database stays the caller's: `stop()` leaves it.
 */
export async function startExampleAppProcess(options: StartExampleAppProcessOptions): Promise<ExampleAppProcess> {
  const env = {
    ...pick(process.env, SYSTEM_VARIABLES),
    ...baseEnv(options.twilioUrl),
    ...pick(process.env, SHARED_SECRET_VARIABLES),
    ...options.databaseEnv,
    ...options.env,
    EXAMPLE_APP_DIR,
  };
  const child: Child = spawn(process.execPath, [EXAMPLE_APP_PROCESS_SCRIPT], {
    cwd: process.cwd(),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const prefix = `[example app process ${child.pid ?? '?'}]`;
  // A child that is already gone must not crash this process with EPIPE.
  child.stdin.on('error', () => undefined);
  // The child's own output (Strapi logs at `warn` by default) goes to this process's stderr.
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`${prefix} ${chunk.toString()}`));
  const lines = createInterface({ input: child.stdout });
  const ended = exited(child);

  const url = await new Promise<string>((resolve, reject) => {
    const timeoutMilliseconds = options.startTimeoutMilliseconds ?? 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${prefix} did not listen within ${timeoutMilliseconds} ms`));
    }, timeoutMilliseconds);
    lines.on('line', (line) => {
      let announced: unknown;
      try {
        announced = (JSON.parse(line) as { exampleAppProcess?: { url?: unknown } }).exampleAppProcess?.url;
      } catch {
        // A log line, not the announcement.
      }
      if (typeof announced === 'string') {
        clearTimeout(timer);
        resolve(announced);
      } else {
        process.stderr.write(`${prefix} ${line}\n`);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void ended.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${prefix} exited before listening (code ${code}, signal ${signal})`));
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    url,
    http: new HttpClient(url),
    pid: child.pid ?? -1,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const { code, signal } = await ended;
        clearTimeout(killer);
        child.stdin.destroy();
        lines.close();
        if (code !== 0) throw new Error(`${prefix} did not stop cleanly (code ${code}, signal ${signal})`);
      })();
      return stopping;
    },
  };
}
