import { defineConfig } from 'vitest/config';
import { DATABASE_KINDS, type DatabaseKind, isDatabaseReachable } from './packages/test-utils/src/databases';

const UNIT_TESTS = ['packages/*/server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'];
const INTEGRATION_TESTS = ['tests/integration/**/*.test.ts'];
const E2E_TESTS = ['tests/e2e/**/*.test.ts'];
const PACKAGING_TESTS = ['tests/packaging/**/*.test.ts'];

/**
 * Integration tests run once per database: SQLite always; PostgreSQL and MariaDB/MySQL when
 * their servers answer, and always under CI=true, where an unreachable server fails the run.
 */
async function databasesToTest(): Promise<DatabaseKind[]> {
  const only = process.env.TEST_DATABASES?.split(',').filter(Boolean);
  const kinds: DatabaseKind[] = [];
  for (const kind of DATABASE_KINDS) {
    if (only !== undefined && !only.includes(kind)) continue;
    if (await isDatabaseReachable(kind)) {
      kinds.push(kind);
    } else if (process.env.CI === 'true') {
      throw new Error(`CI=true needs ${kind}, but its server does not answer`);
    } else {
      process.stdout.write(`[two-factor tests] ${kind} is not reachable: skipping its integration run\n`);
    }
  }
  return kinds;
}

export default defineConfig(async () => {
  const databases = await databasesToTest();
  return {
    test: {
      pool: 'forks',
      // Two cores; each integration file boots its own Strapi.
      maxWorkers: 2,
      minWorkers: 1,
      projects: [
        {
          test: {
            name: 'unit',
            include: UNIT_TESTS,
            exclude: ['**/node_modules/**', '**/dist/**'],
          },
        },
        ...databases.map((kind) => ({
          test: {
            name: `integration:${kind}`,
            include: INTEGRATION_TESTS,
            env: { TEST_DATABASE: kind },
            pool: 'forks' as const,
            testTimeout: 60_000,
            hookTimeout: 180_000,
          },
        })),
        {
          // What a new user meets: the packed plugin in a fresh app of its own, the develop
          // preflight. Once, on SQLite: the package, not the database, is under test.
          test: {
            name: 'packaging',
            include: PACKAGING_TESTS,
            env: { TEST_DATABASE: 'sqlite' },
            pool: 'forks' as const,
            testTimeout: 60_000,
            hookTimeout: 300_000,
          },
        },
        {
          // The demo page in headless Chromium (Debian's /usr/bin/chromium), on SQLite only:
          // the page, not the database, is under test. Mandatory under CI=true.
          test: {
            name: 'e2e',
            include: E2E_TESTS,
            globalSetup: ['tests/e2e/admin-panel.globalSetup.ts'],
            env: { TEST_DATABASE: 'sqlite' },
            pool: 'forks' as const,
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
