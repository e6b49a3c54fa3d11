import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { benchDatabases } from './src/benchDatabase';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MILLISECONDS = 30 * 60 * 1000;

/**
 * `npm run bench`: one vitest run, one forked process per project, one project at a time
 * (two cores: nothing may run beside a measurement). Per database, two memory probes (plugin
 * off / on, each its own process with `--expose-gc`) and the scenarios. The global setup's
 * teardown merges what they wrote into bench/results.md and bench/results.json.
 */
export default defineConfig({
  root,
  test: {
    globalSetup: ['bench/src/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
    // Lets the memory probes collect garbage before reading memory; changes nothing else.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    projects: benchDatabases().flatMap((database) => [
      ...(['plugin-off', 'plugin-on'] as const).map((plugin) => ({
        test: {
          name: `memory:${plugin}:${database}`,
          root,
          include: ['bench/memory.run.ts'],
          env: { BENCH_DATABASE: database, BENCH_PLUGIN: plugin },
          pool: 'forks' as const,
          testTimeout: TIMEOUT_MILLISECONDS,
        },
      })),
      ...(['sign-in', 'verify', 'enumeration', 'passkey'] as const).map((part) => ({
        test: {
          name: `${part}:${database}`,
          root,
          include: [`bench/${part}.run.ts`],
          env: { BENCH_DATABASE: database },
          pool: 'forks' as const,
          testTimeout: TIMEOUT_MILLISECONDS,
        },
      })),
    ]),
  },
});
