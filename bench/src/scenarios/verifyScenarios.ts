import { countSms, startBenchApp } from '../benchApp';
import { enrolSmsUsers, type OpenChallenge, openChallenges, wrongCodeFor } from '../benchUsers';
import type { RequestSpec } from '../load/protocol';
import { measure, measureTurns } from '../measure';
import { profileRequests } from '../profile';
import { CONTENT_API_REQUEST, CONTENT_API_ROUTE, repeat, SIZES, verifyRequest } from './requests';
import type { ScenarioContext } from './scenarioContext';

const VERIFY_ROUTE = 'POST /api/two-factor/challenge/verify';

function rightCode(challenge: OpenChallenge): RequestSpec {
  return verifyRequest(challenge.token, challenge.code);
}

/**
 * `wrongCodesPerChallenge` wrong codes for each challenge, the challenges taking turns so
 * that parallel requests hit different challenges (each answers 400 INVALID_CODE; a sixth
 * would be 429 TOO_MANY_ATTEMPTS).
 */
function wrongCodes(challenges: OpenChallenge[]): RequestSpec[] {
  return Array.from({ length: SIZES.wrongCodesPerChallenge }, (_, attempt) =>
    challenges.map((challenge) => verifyRequest(challenge.token, wrongCodeFor(challenge.code, attempt))),
  ).flat();
}

/**
 * Step 2 on a fresh app (fresh SMS budgets). Every challenge is opened (step 1 + SMS read at
 * Twilio) before its timed run. SMS budget: 64 enrolments + 220 + 110 + 62 + 10 challenges =
 * 466 of 1000 per hour, at most 8 per number (cap 10). Wrong codes: 62 challenges on 62
 * different users, 5 failures each, so no account reaches the lock-out (10 in a row).
 */
export async function runVerifyScenarios(context: ScenarioContext): Promise<void> {
  const bench = await startBenchApp(context.database, 'plugin-on', context.twilioUrl);
  const measureContext = { database: context.database, bench, load: context.load };
  try {
    const users = await enrolSmsUsers(bench, SIZES.verifyUsers);

    const concurrent = await openChallenges(bench, users, SIZES.verifyWarmup + SIZES.verifyRequests);
    context.measurements.push(
      await measure(measureContext, {
        id: 'verify.right.c8',
        scenario: 'Step 2, right code (tokens issued)',
        route: VERIFY_ROUTE,
        concurrency: SIZES.concurrency,
        warmup: concurrent.slice(0, SIZES.verifyWarmup).map(rightCode),
        requests: concurrent.slice(SIZES.verifyWarmup).map(rightCode),
        expectedStatus: 200,
      }),
    );

    const sequential = await openChallenges(
      bench,
      users,
      SIZES.verifySequentialWarmup + SIZES.verifySequentialRequests,
    );
    context.measurements.push(
      await measure(measureContext, {
        id: 'verify.right.c1',
        scenario: 'Step 2, right code, one at a time',
        route: VERIFY_ROUTE,
        concurrency: 1,
        warmup: sequential.slice(0, SIZES.verifySequentialWarmup).map(rightCode),
        requests: sequential.slice(SIZES.verifySequentialWarmup).map(rightCode),
        expectedStatus: 200,
      }),
    );

    // One challenge per user: 5 wrong codes leave each account at 5 consecutive failures.
    if (users.length < SIZES.wrongCodeWarmupChallenges + SIZES.wrongCodeChallenges) {
      throw new Error('Fewer users than wrong-code challenges: some accounts would lock');
    }
    const wrong = await openChallenges(bench, users, SIZES.wrongCodeWarmupChallenges + SIZES.wrongCodeChallenges);
    // Wrong codes and the floor request on this one app, taking turns: their ratio is free of
    // the drift between apps booted minutes apart (the plugin adds nothing to the floor's
    // route: compare content.unauthenticated.plugin-on with its baseline).
    context.measurements.push(
      ...(await measureTurns(measureContext, {
        concurrency: SIZES.concurrency,
        rounds: SIZES.wrongCodeTurns,
        kinds: [
          {
            id: 'verify.wrong.c8',
            scenario: 'Step 2, wrong code (rejected), taking turns with the floor',
            route: `${VERIFY_ROUTE} (→ 400 INVALID_CODE)`,
            warmup: wrongCodes(wrong.slice(0, SIZES.wrongCodeWarmupChallenges)),
            requests: wrongCodes(wrong.slice(SIZES.wrongCodeWarmupChallenges)),
            expectedStatus: 400,
          },
          {
            id: 'content.unauthenticated.turns',
            scenario: 'Unauthenticated content-API request (the floor), taking turns with wrong codes',
            route: CONTENT_API_ROUTE,
            warmup: repeat(SIZES.contentWarmup, () => CONTENT_API_REQUEST),
            requests: repeat(SIZES.contentRequests, () => CONTENT_API_REQUEST),
            expectedStatus: 403,
          },
        ],
      })),
    );

    // For the profile, one right-code and one wrong-code challenge on each of the last users
    // (furthest from the caps: at most 8 SMS to one number in all).
    const samples = SIZES.profileSamples;
    const profiled = await openChallenges(bench, users.slice(-samples), 2 * samples);
    const verify = (token: string, code: string) => () =>
      bench.post('/api/two-factor/challenge/verify', { token, method: 'sms', code });
    const profile = context.profile.requests;
    profile['verify, right code'] = await profileRequests(
      bench,
      200,
      profiled.slice(0, samples).map((challenge) => verify(challenge.token, challenge.code)),
    );
    profile['verify, wrong code'] = await profileRequests(
      bench,
      400,
      profiled.slice(samples).map((challenge) => verify(challenge.token, wrongCodeFor(challenge.code, 0))),
    );
    context.profile.smsSentPerApp['verify app'] = await countSms(bench);
  } finally {
    await bench.stop();
  }
}
