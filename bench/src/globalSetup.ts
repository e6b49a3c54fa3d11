import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXAMPLE_APP_DIR, isDatabaseReachable } from '@strapi-two-factor/test-utils';
import { benchDatabases } from './benchDatabase';
import { cpuShareSince, snapshotCpu } from './cpuSampler';
import { LOAD_GENERATOR_SCRIPT } from './loadGeneratorProcess';
import { clearRawResults, readRawResults, writeRawResult } from './rawResults';
import { writeReport } from './report';

/** Refuses to start without the builds and databases a run needs; the teardown writes the report. */
export default async function setup(): Promise<() => Promise<void>> {
  const builds = [
    [path.join(EXAMPLE_APP_DIR, 'dist', 'config', 'plugins.js'), 'npm run build'],
    [
      path.join(EXAMPLE_APP_DIR, '..', '..', 'packages', 'strapi-plugin-two-factor', 'dist', 'server', 'index.js'),
      'npm run build',
    ],
    [LOAD_GENERATOR_SCRIPT, 'tsc -p bench/tsconfig.loadgen.json'],
  ] as const;
  for (const [file, command] of builds) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${command}\` first`);
  }
  for (const database of benchDatabases()) {
    if (!(await isDatabaseReachable(database))) {
      throw new Error(`${database} does not answer; BENCH_DATABASES=sqlite runs without it`);
    }
  }
  const before = snapshotCpu();
  await sleep(3000);
  const { machineBusyCores } = cpuShareSince(before, 0);
  if (machineBusyCores !== undefined && machineBusyCores > 0.3) {
    process.stdout.write(
      `[bench] warning: ${machineBusyCores.toFixed(2)} cores were busy before the run started: the machine is shared and the numbers will be pessimistic (see the "other CPU" column)\n`,
    );
  }
  await clearRawResults();
  await writeRawResult('start', { kind: 'start', startedAt: new Date().toISOString(), loadAverage: os.loadavg() });
  return async () => {
    await writeReport(await readRawResults());
  };
}
