import { FORWARDED_HTTPS, startBenchApp } from '../benchApp';
import { enrolSmsUsers, openChallenges, wrongCodeFor } from '../benchUsers';
import { profileCpu } from '../cpuProfile';
import type { RequestSpec } from '../load/protocol';
import { CONTENT_API_REQUEST, repeat, SIZES, verifyRequest } from './requests';
import type { ScenarioContext } from './scenarioContext';

/**
 * Where the Strapi process's CPU goes on step 2 and on the floor request, from V8's sampling
 * profiler, on a fresh app of its own (its SMS budgets untouched by the timed runs): each
 * kind at concurrency 8 from the load generator, as timed. The profiler's own cost makes
 * these runs slower than the timed ones; they are read for shares, not for speed.
 * SMS: 40 enrolments + 40 wrong-code + 80 right-code challenges, 4 per number.
 */
export async function runCpuProfileScenarios(context: ScenarioContext): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-on', context.twilioUrl);
  const run = (requests: RequestSpec[]) => async (): Promise<void> => {
    const result = await context.load.run({
      baseUrl: bench.app.url,
      headers: FORWARDED_HTTPS,
      concurrency: SIZES.concurrency,
      requests,
    });
    const unexpected = result.statuses.filter((status) => status >= 500 || status === 429);
    if (unexpected.length > 0) throw new Error(`CPU profile run: ${unexpected.length} answers ${unexpected[0]}`);
  };
  try {
    const users = await enrolSmsUsers(bench, SIZES.cpuProfileUsers);
    const cpu = context.profile.cpu;
    // Warm: the JIT compiles the paths before anything is sampled.
    await run(repeat(SIZES.contentWarmup, () => CONTENT_API_REQUEST))();
    cpu['GET /api/users without token (the floor)'] = await profileCpu(
      run(repeat(SIZES.contentRequests, () => CONTENT_API_REQUEST)),
      SIZES.contentRequests,
    );
    const wrong = await openChallenges(bench, users, users.length);
    const wrongCodes = Array.from({ length: SIZES.wrongCodesPerChallenge }, (_, attempt) =>
      wrong.map((challenge) => verifyRequest(challenge.token, wrongCodeFor(challenge.code, attempt))),
    ).flat();
    cpu['verify, wrong code'] = await profileCpu(run(wrongCodes), wrongCodes.length);
    const right = await openChallenges(bench, users, 2 * users.length);
    cpu['verify, right code'] = await profileCpu(
      run(right.map((challenge) => verifyRequest(challenge.token, challenge.code))),
      right.length,
    );
  } finally {
    await bench.stop();
  }
}
