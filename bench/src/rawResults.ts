import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from '@strapi-two-factor/test-utils';
import type { CpuProfileSummary } from './cpuProfile';
import type { CpuShare } from './cpuSampler';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(here, '..');
/** Per-process results, merged into `results.md` / `results.json` at the end (gitignored). */
export const RAW_RESULTS_DIR = path.join(BENCH_DIR, 'results', 'raw');

export interface Measurement {
  /** Stable key, e.g. `login.plain.plugin-off`. */
  id: string;
  scenario: string;
  route: string;
  database: DatabaseKind;
  concurrency: number;
  warmupRequests: number;
  requests: number;
  p50Milliseconds: number;
  p95Milliseconds: number;
  requestsPerSecond: number;
  /** The mean latency, where a comparison reads it (the paired logins). */
  meanMilliseconds?: number;
  /** The app process's CPU per request, where it was read from outside (the paired logins' child processes). */
  cpuMillisecondsPerRequest?: number;
  /**
   * Inside the Strapi process, `request` event to response `finish` (see serverTimer.ts);
   * not a number (null in results.json) for an app in a child process, which has no timer.
   */
  serverP50Milliseconds: number;
  serverP95Milliseconds: number;
  /** Share of the run the Strapi process's event loop was busy (1 = saturated). */
  serverEventLoopUtilization: number;
  /** Who kept the CPU busy during the timed run (a shared machine shows up in `otherCores`). */
  cpu: CpuShare;
  statuses: Record<string, number>;
}

export interface SmsCount {
  total: number;
  mostToOneNumber: number;
}

/** One request alone in the Strapi process (medians of a few). */
export interface RequestProfile {
  /** knex `query` events: statements sent to the database. */
  sqlStatements: number;
  /** Of them, `insert` / `update` / `delete`: each a committed write (no request transaction). */
  sqlWrites: number;
  /** Their total time, `query` → `query-response`. */
  sqlMilliseconds: number;
  serverMilliseconds: number;
}

/** Where time goes: SQL per request kind and the cost of one bcrypt comparison. */
export interface Profile {
  database: DatabaseKind;
  /** Median of users-permissions' `validatePassword` (bcryptjs, 10 rounds) in the Strapi process. */
  bcryptCompareMilliseconds: number;
  requests: Record<string, RequestProfile>;
  /** Durability settings that decide what a write costs (SQLite pragmas, PostgreSQL settings). */
  databaseSettings: Record<string, string>;
  /** SMS each plugin app sent (its budgets: 1000 per process and hour, 10 per number and hour). */
  smsSentPerApp: Record<string, SmsCount>;
  /** Where the CPU went, by request kind (V8's sampling profiler); absent in older results. */
  cpu: Record<string, CpuProfileSummary>;
}

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
}

export interface MemoryResult {
  variant: 'plain' | 'plugin';
  database: DatabaseKind;
  isGcExposed: boolean;
  /** From starting the app (fresh database included) to its answering HTTP; absent in older results. */
  bootMilliseconds?: number;
  /** The test runner alone, before Strapi is loaded. */
  beforeBoot: MemorySample;
  afterBoot: MemorySample;
  /** After the same light load on both (one sign-up, 20 logins, 20 content-API requests). */
  afterLoad: MemorySample;
}

/**
 * The scenarios of one database run in four processes: sign-in (with its baselines), step 2,
 * the enumeration timings of the other unauthenticated routes, and passkeys.
 */
export type ScenarioPart = 'sign-in' | 'verify' | 'enumeration' | 'passkey';

export type RawResult =
  | { kind: 'start'; startedAt: string; loadAverage: number[] }
  | { kind: 'end'; finishedAt: string; loadAverage: number[] }
  | {
      kind: 'scenarios';
      part: ScenarioPart;
      database: DatabaseKind;
      measurements: Measurement[];
      profile: Profile;
      durationSeconds: number;
    }
  | { kind: 'memory'; result: MemoryResult };

export async function clearRawResults(): Promise<void> {
  await rm(RAW_RESULTS_DIR, { recursive: true, force: true });
  await mkdir(RAW_RESULTS_DIR, { recursive: true });
}

export async function writeRawResult(name: string, result: RawResult): Promise<void> {
  await mkdir(RAW_RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RAW_RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export async function readRawResults(): Promise<RawResult[]> {
  const names = (await readdir(RAW_RESULTS_DIR).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  return Promise.all(
    names.sort().map(async (name) => JSON.parse(await readFile(path.join(RAW_RESULTS_DIR, name), 'utf8')) as RawResult),
  );
}
