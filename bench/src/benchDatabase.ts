// Relative, not by package name: vitest.config.ts imports this file, and vitest loads a
// config's package imports natively, where the harness's extensionless TS imports fail.
import { type DatabaseKind, isDatabaseKind } from '../../packages/test-utils/src/databases';

/** The databases a run covers: `BENCH_DATABASES` (comma-separated), SQLite and PostgreSQL by default. */
export function benchDatabases(): DatabaseKind[] {
  const names = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').filter((name) => name !== '');
  for (const name of names) {
    if (!isDatabaseKind(name)) throw new Error(`BENCH_DATABASES: unknown database "${name}"`);
  }
  return names as DatabaseKind[];
}

/** The database of the current vitest project (`BENCH_DATABASE`). */
export function benchDatabase(): DatabaseKind {
  const name = process.env.BENCH_DATABASE ?? 'sqlite';
  if (!isDatabaseKind(name)) throw new Error(`BENCH_DATABASE: unknown database "${name}"`);
  return name;
}
