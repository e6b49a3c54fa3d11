import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchAppProcess, countOutbox, FORWARDED_HTTPS, startBenchAppProcess } from '../benchApp';
import { enrolSmsUsers, registerUser, type SmsUser } from '../benchUsers';
import { type CpuShare, processCpuMicroseconds } from '../cpuSampler';
import type { LoadResult, RequestSpec } from '../load/protocol';
import { latencyStatistics } from '../measure';
import type { Measurement } from '../rawResults';
import { round } from '../statistics';
import { loginRequest, SIZES } from './requests';
import type { ScenarioContext } from './scenarioContext';

/**
 * Plain Strapi and the plugin, up at the same time, taking turns: the answer to "within 2% of
 * plain login" that apps booted minutes apart cannot give on a machine that drifts 20–35% in
 * an hour (issue 16). Two child processes on fresh databases of the same kind, one with the
 * plugin off, one with it on; the kinds take turns batch by batch at concurrency 8 and
 * request by request one at a time, so drift falls on all of them alike.
 *
 * Step 1's SMS leaves after the answer, on the plugin app's event loop. Before the next
 * batch (or request) the run waits until Twilio has every SMS sent so far: a send's CPU
 * stays with the batch that caused it instead of landing on the other app's turn, which
 * runs on the other core.
 */
export async function runPairedLoginScenarios(context: ScenarioContext): Promise<void> {
  const [off, on] = [
    await startBenchAppProcess(context.database, 'plugin-off', context.twilioUrl),
    await startBenchAppProcess(context.database, 'plugin-on', context.twilioUrl),
  ];
  try {
    await on.client.inbox.clear();
    const plainOff = await registerUser(off.client, 'plain');
    const plainOn = await registerUser(on.client, 'plain');
    const smsUsers = await enrolSmsUsers(on.client, SIZES.pairedStepOneUsers);
    let stepOnes = 0;
    const smsUser = (): SmsUser => {
      const user = smsUsers[stepOnes % smsUsers.length] as SmsUser;
      stepOnes += 1;
      return user;
    };
    const kinds: PairedKind[] = [
      {
        id: 'paired.login.plain.plugin-off',
        scenario: 'Login, user without 2FA, plugin off (paired)',
        app: off,
        request: () => loginRequest(plainOff.username, plainOff.password),
      },
      {
        id: 'paired.login.plain.plugin-on',
        scenario: 'Login, user without 2FA, plugin on (paired)',
        app: on,
        request: () => loginRequest(plainOn.username, plainOn.password),
      },
      {
        id: 'paired.step1.sms.plugin-on',
        scenario: 'Step 1, user with an SMS factor, plugin on (paired)',
        app: on,
        request: () => {
          const user = smsUser();
          return loginRequest(user.username, user.password);
        },
        sendsSms: true,
      },
    ];
    // Every SMS the plugin app sent so far: what enrolment sent (a code and a security notice
    // each, counted once they stop coming), then one per step 1.
    const enrolmentSms = await settledSmsCount(on);
    const smsSent = () => enrolmentSms + stepOnes;
    const paired = { context, kinds, smsSent, on };

    context.measurements.push(
      ...(await runTurns(paired, {
        concurrency: SIZES.concurrency,
        batch: SIZES.pairedBatch,
        warmupRounds: 1,
        rounds: SIZES.pairedRounds,
      })),
      ...(await runTurns(paired, {
        concurrency: 1,
        batch: 1,
        warmupRounds: SIZES.loginSequentialWarmup,
        rounds: SIZES.pairedSequentialRounds,
      })),
    );
    await waitForSms(on, smsSent());
    context.profile.smsSentPerApp['paired plugin app'] = await countOutbox(on.client.inbox);
  } finally {
    await Promise.all([off.stop(), on.stop()]);
  }
}

interface PairedKind {
  id: string;
  scenario: string;
  app: BenchAppProcess;
  request(): RequestSpec;
  sendsSms?: boolean;
}

interface Turns {
  concurrency: number;
  /** Requests per turn: a batch at concurrency 8, one request one at a time. */
  batch: number;
  /** Rounds run and checked first, not kept. */
  warmupRounds: number;
  rounds: number;
}

interface Collected {
  latencies: number[];
  wallMilliseconds: number;
  cpuMicroseconds: number;
  loadGeneratorMicroseconds: number;
  statuses: Record<string, number>;
}

/** The Twilio server's count of messages once it has not changed for 300 ms (queued sends leave within 50 ms). */
async function settledSmsCount(app: BenchAppProcess): Promise<number> {
  let count = -1;
  let stableSince = Date.now();
  for (;;) {
    const now = (await app.client.inbox.messages()).length;
    if (now !== count) {
      count = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 300) {
      return count;
    }
    await sleep(50);
  }
}

/** Until the Twilio server holds `count` messages: the plugin app's queue has sent them all. */
async function waitForSms(app: BenchAppProcess, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = await app.client.inbox.messages();
    if (messages.length >= count) return;
    if (Date.now() > deadline) throw new Error(`paired: Twilio has ${messages.length} SMS of ${count} after 30 s`);
    await sleep(20);
  }
}

/**
 * `rounds` rounds, each giving every kind one turn of `batch` requests; the kinds' order turns
 * round too (a b c, b c a, c a b …) so that none always follows the same one.
 */
async function runTurns(
  paired: {
    context: ScenarioContext;
    kinds: PairedKind[];
    smsSent: () => number;
    on: BenchAppProcess;
  },
  turns: Turns,
): Promise<Measurement[]> {
  const { context, kinds } = paired;
  const collected = new Map<string, Collected>(
    kinds.map((kind) => [
      kind.id,
      { latencies: [], wallMilliseconds: 0, cpuMicroseconds: 0, loadGeneratorMicroseconds: 0, statuses: {} },
    ]),
  );
  for (let pass = 0; pass < turns.warmupRounds + turns.rounds; pass += 1) {
    const timed = pass >= turns.warmupRounds;
    for (let turn = 0; turn < kinds.length; turn += 1) {
      const kind = kinds[(pass + turn) % kinds.length] as PairedKind;
      const requests = Array.from({ length: turns.batch }, () => kind.request());
      const cpuBefore = processCpuMicroseconds(kind.app.pid);
      const result: LoadResult = await context.load.run({
        baseUrl: kind.app.url,
        headers: FORWARDED_HTTPS,
        concurrency: turns.concurrency,
        requests,
      });
      // The SMS of this turn leave before the next turn starts (see runPairedLoginScenarios).
      if (kind.sendsSms === true) await waitForSms(paired.on, paired.smsSent());
      const cpuAfter = processCpuMicroseconds(kind.app.pid);
      const unexpected = result.statuses.filter((status) => status !== 200);
      if (unexpected.length > 0)
        throw new Error(
          `${kind.id}: ${unexpected.length} of ${requests.length} answers were not 200: ${JSON.stringify(result.bodies)}`,
        );
      if (!timed) continue;
      const into = collected.get(kind.id) as Collected;
      into.latencies.push(...result.latenciesMilliseconds);
      into.wallMilliseconds += result.wallMilliseconds;
      into.loadGeneratorMicroseconds += result.cpuMicroseconds;
      into.statuses['200'] = (into.statuses['200'] ?? 0) + requests.length;
      // The SMS sends are the request's own work, even though they run after its answer.
      if (cpuBefore !== undefined && cpuAfter !== undefined) into.cpuMicroseconds += cpuAfter - cpuBefore;
    }
  }
  return kinds.map((kind) => {
    const { latencies, wallMilliseconds, cpuMicroseconds, loadGeneratorMicroseconds, statuses } = collected.get(
      kind.id,
    ) as Collected;
    const wallMicroseconds = Math.max(1, wallMilliseconds * 1000);
    const cpu: CpuShare = {
      strapiCores: round(cpuMicroseconds / wallMicroseconds),
      loadGeneratorCores: round(loadGeneratorMicroseconds / wallMicroseconds),
    };
    const sequential = turns.concurrency === 1;
    const measurement: Measurement = {
      id: sequential ? `${kind.id}.c1` : kind.id,
      scenario: sequential ? `${kind.scenario}, one at a time` : kind.scenario,
      route: 'POST /api/auth/local',
      database: context.database,
      concurrency: turns.concurrency,
      warmupRequests: turns.batch * turns.warmupRounds,
      // Requests over the time the kind's own turns took: at concurrency 1, 1 / mean latency.
      ...latencyStatistics(latencies, wallMilliseconds),
      meanMilliseconds: round(latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length)),
      cpuMillisecondsPerRequest: round(cpuMicroseconds / 1000 / Math.max(1, latencies.length), 3),
      // A child process: no server timer (its latencies are the load generator's).
      serverP50Milliseconds: Number.NaN,
      serverP95Milliseconds: Number.NaN,
      serverEventLoopUtilization: Number.NaN,
      cpu,
      statuses,
    };
    process.stdout.write(
      `[bench] ${context.database} ${measurement.id}: p50 ${measurement.p50Milliseconds} ms, mean ${measurement.meanMilliseconds} ms, ${measurement.requestsPerSecond} req/s, CPU ${measurement.cpuMillisecondsPerRequest} ms/request\n`,
    );
    return measurement;
  });
}
