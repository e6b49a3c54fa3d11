import { performance } from 'node:perf_hooks';
import type { HttpResponse } from '@strapi-two-factor/test-utils';
import { type BenchApp, drainSms } from './benchApp';
import type { RequestProfile } from './rawResults';
import { median, round } from './statistics';

interface KnexQueryData {
  __knexQueryUid?: string;
  sql?: string;
}

const WRITE = /^\s*(insert|update|delete)\b/i;

/**
 * Runs each request alone in the Strapi process and reports, as medians, the SQL statements
 * it sent (knex `query` events), the time they took (`query` → `query-response`) and the
 * server time. One request per entry of `requests`: a verification consumes its challenge.
 */
export async function profileRequests(
  bench: BenchApp,
  expectedStatus: number,
  requests: Array<() => Promise<HttpResponse>>,
): Promise<RequestProfile> {
  const connection = bench.app.strapi.db.connection;
  const startedAt = new Map<string, number>();
  let statements = 0;
  let writes = 0;
  let sqlMilliseconds = 0;
  const onQuery = (data: KnexQueryData): void => {
    statements += 1;
    if (WRITE.test(data.sql ?? '')) writes += 1;
    if (data.__knexQueryUid !== undefined) startedAt.set(data.__knexQueryUid, performance.now());
  };
  const onResponse = (_response: unknown, data: KnexQueryData): void => {
    const started = data.__knexQueryUid === undefined ? undefined : startedAt.get(data.__knexQueryUid);
    if (started !== undefined) sqlMilliseconds += performance.now() - started;
  };
  const samples: RequestProfile[] = [];
  connection.on('query', onQuery);
  connection.on('query-response', onResponse);
  try {
    for (const request of requests) {
      // The previous request's SMS (queued after its answer) is sent first: its statements
      // are not this request's.
      await drainSms(bench);
      statements = 0;
      writes = 0;
      sqlMilliseconds = 0;
      startedAt.clear();
      bench.timer.start();
      const response = await request();
      const [serverMilliseconds = 0] = bench.timer.stop();
      if (response.status !== expectedStatus) {
        throw new Error(`Profiled request answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
      }
      samples.push({ sqlStatements: statements, sqlWrites: writes, sqlMilliseconds, serverMilliseconds });
    }
  } finally {
    connection.off('query', onQuery);
    connection.off('query-response', onResponse);
  }
  return {
    // Medians: the plugin's timers (the policy reload every 15 s, the clean-ups) may run during one
    // sample and add its statements to it.
    sqlStatements: median(samples.map((s) => s.sqlStatements)),
    sqlWrites: median(samples.map((s) => s.sqlWrites)),
    sqlMilliseconds: round(median(samples.map((s) => s.sqlMilliseconds))),
    serverMilliseconds: round(median(samples.map((s) => s.serverMilliseconds))),
  };
}

/** Median time of users-permissions' own password check (bcryptjs) for a user's stored hash. */
export async function timeBcryptCompare(bench: BenchApp, username: string, password: string): Promise<number> {
  const { strapi } = bench.app;
  const row = (await strapi.db.query('plugin::users-permissions.user').findOne({ where: { username } })) as {
    password: string;
  } | null;
  if (row === null) throw new Error(`No user ${username}`);
  const userService = strapi.plugin('users-permissions').service('user');
  const times: number[] = [];
  for (let i = 0; i < 21; i += 1) {
    const startedAt = performance.now();
    await userService.validatePassword(password, row.password);
    times.push(performance.now() - startedAt);
  }
  return round(median(times));
}

/** The settings that make a committed write cost an fsync (or not), as the app runs them. */
export async function readDatabaseSettings(bench: BenchApp): Promise<Record<string, string>> {
  const connection = bench.app.strapi.db.connection;
  const settings: Record<string, string> = {};
  const read = async (name: string, sql: string): Promise<void> => {
    const result = (await connection.raw(sql)) as unknown;
    // better-sqlite3 answers rows; pg answers { rows }.
    const rows = (Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows) ?? [];
    const first = rows[0] as Record<string, unknown> | undefined;
    settings[name] = first === undefined ? '?' : String(Object.values(first)[0]);
  };
  if (bench.app.database.kind === 'sqlite') {
    await read('journal_mode', 'PRAGMA journal_mode');
    await read('synchronous', 'PRAGMA synchronous');
  } else if (bench.app.database.kind === 'postgres') {
    await read('synchronous_commit', 'SHOW synchronous_commit');
    await read('fsync', 'SHOW fsync');
  }
  return settings;
}
