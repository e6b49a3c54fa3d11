import { countSms, drainSms, startBenchApp } from '../benchApp';
import { enrolSmsUsers, registerUser, type SmsUser } from '../benchUsers';
import { measure, measureInterleaved } from '../measure';
import { profileRequests } from '../profile';
import { CONTENT_API_REQUEST, CONTENT_API_ROUTE, loginRequest, repeat, SIZES } from './requests';
import type { ScenarioContext } from './scenarioContext';

/**
 * Step 1 with the plugin on: a user who never enrolled, a user with an SMS factor (a challenge
 * and an SMS each time), the content-API request, and the enumeration timings.
 *
 * SMS budget of this app: 60 enrolments + 30 warm-up + 300 timed step-1 requests, 10 + 60 one
 * at a time, + 5 for the profile = 465 of the plugin's 1000 per hour; at most 8 per number
 * (cap 10), requests going round the 60 users.
 */
export async function runSignInScenarios(context: ScenarioContext): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-on', context.twilioUrl);
  const measureContext = { database: context.database, bench, load: context.load };
  try {
    const plainUser = await registerUser(bench, 'plain');
    const smsUsers = await enrolSmsUsers(bench, SIZES.stepOneUsers);
    const smsUser = (index: number): SmsUser => smsUsers[index % smsUsers.length] as SmsUser;
    const plainLogin = () => loginRequest(plainUser.username, plainUser.password);
    const stepOne = (index: number) => loginRequest(smsUser(index).username, smsUser(index).password);

    context.measurements.push(
      await measure(measureContext, {
        id: 'login.plain.plugin-on',
        scenario: 'Login, user without 2FA, plugin on',
        route: 'POST /api/auth/local',
        concurrency: SIZES.concurrency,
        warmup: repeat(SIZES.loginWarmup, plainLogin),
        requests: repeat(SIZES.loginRequests, plainLogin),
        expectedStatus: 200,
      }),
      await measure(measureContext, {
        id: 'step1.sms.plugin-on',
        scenario: 'Step 1, user with an SMS factor (challenge + SMS)',
        route: 'POST /api/auth/local',
        concurrency: SIZES.concurrency,
        warmup: repeat(SIZES.loginWarmup, stepOne),
        requests: repeat(SIZES.loginRequests, stepOne, SIZES.loginWarmup),
        expectedStatus: 200,
      }),
    );
    await drainSms(bench);
    // One at a time: each login's latency without the queueing of eight on one event loop.
    const sequentialFrom = SIZES.loginWarmup + SIZES.loginRequests;
    context.measurements.push(
      await measure(measureContext, {
        id: 'login.plain.plugin-on.c1',
        scenario: 'Login, user without 2FA, plugin on, one at a time',
        route: 'POST /api/auth/local',
        concurrency: 1,
        warmup: repeat(SIZES.loginSequentialWarmup, plainLogin),
        requests: repeat(SIZES.loginSequentialRequests, plainLogin),
        expectedStatus: 200,
      }),
      await measure(measureContext, {
        id: 'step1.sms.plugin-on.c1',
        scenario: 'Step 1, user with an SMS factor, one at a time',
        route: 'POST /api/auth/local',
        concurrency: 1,
        warmup: repeat(SIZES.loginSequentialWarmup, stepOne, sequentialFrom),
        requests: repeat(SIZES.loginSequentialRequests, stepOne, sequentialFrom + SIZES.loginSequentialWarmup),
        expectedStatus: 200,
      }),
    );
    await drainSms(bench);

    context.measurements.push(
      await measure(measureContext, {
        id: 'content.unauthenticated.plugin-on',
        scenario: 'Unauthenticated content-API request, plugin on',
        route: CONTENT_API_ROUTE,
        concurrency: SIZES.concurrency,
        warmup: repeat(SIZES.contentWarmup, () => CONTENT_API_REQUEST),
        requests: repeat(SIZES.contentRequests, () => CONTENT_API_REQUEST),
        expectedStatus: 403,
      }),
      ...(await measureInterleaved(measureContext, {
        route: 'POST /api/auth/local (wrong password → 400)',
        warmupRounds: SIZES.enumerationWarmupRounds,
        rounds: SIZES.enumerationRounds,
        expectedStatus: 400,
        kinds: [
          {
            id: 'enumeration.unknown.plugin-on',
            scenario: 'Unknown identifier, plugin on',
            request: (index) => loginRequest(`nobody-${index}@example.test`, 'not-the-password'),
          },
          {
            id: 'enumeration.known-plain.plugin-on',
            scenario: 'Known identifier (no 2FA), wrong password, plugin on',
            request: () => loginRequest(plainUser.username, 'not-the-password'),
          },
          {
            id: 'enumeration.known-sms.plugin-on',
            scenario: 'Known identifier (SMS factor), wrong password, plugin on',
            request: (index) => loginRequest(smsUser(index).username, 'not-the-password'),
          },
        ],
      })),
    );

    const profile = context.profile.requests;
    const post = (identifier: string, password: string) => () =>
      bench.post('/api/auth/local', { identifier, password });
    const times = <T>(request: T): T[] => Array.from({ length: SIZES.profileSamples }, () => request);
    // A few more step-1 SMS, one each on the last users (the round robin gave them the fewest).
    const profiled = Array.from({ length: SIZES.profileSamples }, (_, index) =>
      smsUser(SIZES.stepOneUsers - 1 - index),
    );
    profile['login without 2FA, plugin on'] = await profileRequests(
      bench,
      200,
      times(post(plainUser.username, plainUser.password)),
    );
    profile['step 1 with SMS factor'] = await profileRequests(
      bench,
      200,
      profiled.map((user) => post(user.username, user.password)),
    );
    profile['wrong password (no 2FA), plugin on'] = await profileRequests(
      bench,
      400,
      times(post(plainUser.username, 'not-the-password')),
    );
    profile['wrong password (SMS factor), plugin on'] = await profileRequests(
      bench,
      400,
      profiled.map((user) => post(user.username, 'not-the-password')),
    );
    profile['unknown identifier, plugin on'] = await profileRequests(
      bench,
      400,
      times(post('nobody@example.test', 'not-the-password')),
    );
    profile['GET /api/users without token, plugin on'] = await profileRequests(
      bench,
      403,
      times(() => bench.get('/api/users')),
    );
    context.profile.smsSentPerApp['sign-in app'] = await countSms(bench);
  } finally {
    await bench.stop();
  }
}
