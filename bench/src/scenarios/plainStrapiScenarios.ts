import { startBenchApp } from '../benchApp';
import { registerUser } from '../benchUsers';
import { measure, measureInterleaved } from '../measure';
import { profileRequests, readDatabaseSettings, timeBcryptCompare } from '../profile';
import { CONTENT_API_REQUEST, CONTENT_API_ROUTE, loginRequest, repeat, SIZES } from './requests';
import type { ScenarioContext } from './scenarioContext';

/**
 * Which baseline run: the baselines bracket the plugin's sign-in runs (plain, plugin, plain)
 * so that drift of a shared machine over the minutes between them shows, and averages out.
 */
export type BaselineRun = 'before' | 'after';

/**
 * The baselines: the same example app with the plugin switched off (`TWO_FACTOR_ENABLED=false`).
 * The run `before` also times enumeration and profiles; the run `after` only logins and the
 * content-API request.
 */
export async function runPlainStrapiScenarios(context: ScenarioContext, run: BaselineRun): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-off', context.twilioUrl);
  const measureContext = { database: context.database, bench, load: context.load };
  const suffix = run === 'before' ? '' : '.after';
  const label = run === 'before' ? 'baseline, run 1 of 2' : 'baseline, run 2 of 2';
  try {
    const user = await registerUser(bench, 'plain');
    const login = () => loginRequest(user.username, user.password);

    context.measurements.push(
      await measure(measureContext, {
        id: `login.plain.plugin-off${suffix}`,
        scenario: `Login, user without 2FA, plugin off (${label})`,
        route: 'POST /api/auth/local',
        concurrency: SIZES.concurrency,
        warmup: repeat(SIZES.loginWarmup, login),
        requests: repeat(SIZES.loginRequests, login),
        expectedStatus: 200,
      }),
      await measure(measureContext, {
        id: `login.plain.plugin-off.c1${suffix}`,
        scenario: `Login, user without 2FA, plugin off, one at a time (${label})`,
        route: 'POST /api/auth/local',
        concurrency: 1,
        warmup: repeat(SIZES.loginSequentialWarmup, login),
        requests: repeat(SIZES.loginSequentialRequests, login),
        expectedStatus: 200,
      }),
      await measure(measureContext, {
        id: `content.unauthenticated.plugin-off${suffix}`,
        scenario: `Unauthenticated content-API request, plugin off (${label})`,
        route: CONTENT_API_ROUTE,
        concurrency: SIZES.concurrency,
        warmup: repeat(SIZES.contentWarmup, () => CONTENT_API_REQUEST),
        requests: repeat(SIZES.contentRequests, () => CONTENT_API_REQUEST),
        expectedStatus: 403,
      }),
    );
    if (run === 'after') return;

    context.measurements.push(
      ...(await measureInterleaved(measureContext, {
        route: 'POST /api/auth/local (wrong password → 400)',
        warmupRounds: SIZES.enumerationWarmupRounds,
        rounds: SIZES.enumerationRounds,
        expectedStatus: 400,
        kinds: [
          {
            id: 'enumeration.unknown.plugin-off',
            scenario: 'Unknown identifier, plugin off',
            request: (index) => loginRequest(`nobody-${index}@example.test`, 'not-the-password'),
          },
          {
            id: 'enumeration.known-plain.plugin-off',
            scenario: 'Known identifier (no 2FA), wrong password, plugin off',
            request: () => loginRequest(user.username, 'not-the-password'),
          },
        ],
      })),
    );

    const profile = context.profile.requests;
    const post = (identifier: string, password: string) => () =>
      bench.post('/api/auth/local', { identifier, password });
    const times = <T>(request: T): T[] => Array.from({ length: SIZES.profileSamples }, () => request);
    profile['login, plugin off'] = await profileRequests(bench, 200, times(post(user.username, user.password)));
    profile['wrong password, plugin off'] = await profileRequests(
      bench,
      400,
      times(post(user.username, 'not-the-password')),
    );
    profile['unknown identifier, plugin off'] = await profileRequests(
      bench,
      400,
      times(post('nobody@example.test', 'not-the-password')),
    );
    profile['GET /api/users without token, plugin off'] = await profileRequests(
      bench,
      403,
      times(() => bench.get('/api/users')),
    );
    context.profile.databaseSettings = await readDatabaseSettings(bench);
    context.profile.bcryptCompareMilliseconds = await timeBcryptCompare(bench, user.username, user.password);
  } finally {
    await bench.stop();
  }
}
