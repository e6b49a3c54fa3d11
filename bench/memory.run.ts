import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startExampleApp } from '@strapi-two-factor/test-utils';
import { it } from 'vitest';
import { benchEnv, FORWARDED_HTTPS, type PluginSwitch } from './src/benchApp';
import { benchDatabase } from './src/benchDatabase';
import { type MemorySample, writeRawResult } from './src/rawResults';

const database = benchDatabase();
const plugin: PluginSwitch = process.env.BENCH_PLUGIN === 'plugin-on' ? 'plugin-on' : 'plugin-off';

/** `process.memoryUsage()` after a full collection (`--expose-gc`), else after a pause. */
async function settledMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i += 1) {
    gc?.();
    await sleep(gc === undefined ? 1000 : 200);
  }
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
}

// Runs in its own forked process (one per vitest project), so the two variants never share a heap.
it(`should report the memory of the app with ${plugin} on ${database}`, async () => {
  const beforeBoot = await settledMemory();
  // Boot: from the harness's call to an app answering HTTP (a fresh database, schema sync,
  // both plugins' register and bootstrap). One sample per variant.
  const bootStartedAt = performance.now();
  const app = await startExampleApp({ database, env: benchEnv(plugin) });
  const bootMilliseconds = performance.now() - bootStartedAt;
  const headers = { ...FORWARDED_HTTPS };
  try {
    const afterBoot = await settledMemory();
    const user = {
      username: 'memory_user',
      email: 'memory.user@example.test',
      password: 'Memory-Password-1',
    };
    const registered = await app.http.post('/api/auth/local/register', user, { headers });
    if (registered.status !== 200) throw new Error(`register answered ${registered.status}`);
    for (let i = 0; i < 20; i += 1) {
      const login = await app.http.post(
        '/api/auth/local',
        { identifier: user.username, password: user.password },
        { headers },
      );
      if (login.status !== 200) throw new Error(`login answered ${login.status}`);
      await app.http.get('/api/users', { headers });
    }
    const afterLoad = await settledMemory();
    const result = {
      variant: plugin === 'plugin-on' ? ('plugin' as const) : ('plain' as const),
      database,
      isGcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      bootMilliseconds,
      beforeBoot,
      afterBoot,
      afterLoad,
    };
    process.stdout.write(`[bench] memory ${JSON.stringify(result)}\n`);
    await writeRawResult(`memory-${plugin}-${database}`, { kind: 'memory', result });
  } finally {
    await app.stop();
  }
});
