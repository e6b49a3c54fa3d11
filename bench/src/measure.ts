import { performance } from 'node:perf_hooks';
import type { DatabaseKind } from '@strapi-two-factor/test-utils';
import { type BenchApp, FORWARDED_HTTPS } from './benchApp';
import { cpuShareSince, snapshotCpu } from './cpuSampler';
import type { LoadResult, RequestSpec } from './load/protocol';
import type { LoadGeneratorProcess } from './loadGeneratorProcess';
import type { Measurement } from './rawResults';
import { percentile, round } from './statistics';

export interface MeasureInput {
  id: string;
  scenario: string;
  route: string;
  concurrency: number;
  warmup: RequestSpec[];
  requests: RequestSpec[];
  /** Every response must have it, warm-up included; anything else fails the run. */
  expectedStatus: number;
}

export interface MeasureContext {
  database: DatabaseKind;
  bench: BenchApp;
  load: LoadGeneratorProcess;
}

function countStatuses(statuses: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function assertStatuses(what: string, result: LoadResult, expected: number): void {
  const unexpected = result.statuses.filter((status) => status !== expected);
  if (unexpected.length === 0) return;
  throw new Error(
    `${what}: ${unexpected.length} of ${result.statuses.length} answers were not ${expected} ` +
      `(${JSON.stringify(countStatuses(result.statuses))}); bodies: ${JSON.stringify(result.bodies)}`,
  );
}

/** A run's latencies as the report reads them: count, p50, p95 and requests over its wall time. */
export function latencyStatistics(
  latencies: readonly number[],
  wallMilliseconds: number,
): Pick<Measurement, 'requests' | 'p50Milliseconds' | 'p95Milliseconds' | 'requestsPerSecond'> {
  return {
    requests: latencies.length,
    p50Milliseconds: round(percentile(latencies, 50)),
    p95Milliseconds: round(percentile(latencies, 95)),
    requestsPerSecond: round((latencies.length * 1000) / wallMilliseconds, 1),
  };
}

/** Server-side times (serverTimer.ts) as the report reads them. */
function serverStatistics(
  server: readonly number[],
): Pick<Measurement, 'serverP50Milliseconds' | 'serverP95Milliseconds'> {
  return { serverP50Milliseconds: round(percentile(server, 50)), serverP95Milliseconds: round(percentile(server, 95)) };
}

/** Warm-up, then the timed requests at a fixed concurrency from the load generator process. */
export async function measure(context: MeasureContext, input: MeasureInput): Promise<Measurement> {
  const { bench, load } = context;
  const baseUrl = bench.app.url;
  if (input.warmup.length > 0) {
    const warmup = await load.run({
      baseUrl,
      headers: FORWARDED_HTTPS,
      concurrency: input.concurrency,
      requests: input.warmup,
    });
    assertStatuses(`${input.id} (warm-up)`, warmup, input.expectedStatus);
  }
  bench.timer.start();
  const busyBefore = performance.eventLoopUtilization();
  const cpuBefore = snapshotCpu();
  const result = await load.run({
    baseUrl,
    headers: FORWARDED_HTTPS,
    concurrency: input.concurrency,
    requests: input.requests,
  });
  const cpu = cpuShareSince(cpuBefore, result.cpuMicroseconds);
  const busy = performance.eventLoopUtilization(busyBefore);
  const server = bench.timer.stop();
  assertStatuses(input.id, result, input.expectedStatus);
  const measurement: Measurement = {
    id: input.id,
    scenario: input.scenario,
    route: input.route,
    database: context.database,
    concurrency: input.concurrency,
    warmupRequests: input.warmup.length,
    ...latencyStatistics(result.latenciesMilliseconds, result.wallMilliseconds),
    ...serverStatistics(server),
    serverEventLoopUtilization: round(busy.utilization),
    cpu,
    statuses: countStatuses(result.statuses),
  };
  process.stdout.write(
    `[bench] ${context.database} ${input.id}: p50 ${measurement.p50Milliseconds} ms, p95 ${measurement.p95Milliseconds} ms, ` +
      `${measurement.requestsPerSecond} req/s (server p50 ${measurement.serverP50Milliseconds} ms; ` +
      `CPU cores: Strapi ${cpu.strapiCores}, load ${cpu.loadGeneratorCores}, other ${cpu.otherCores ?? '?'})\n`,
  );
  return measurement;
}

export interface InterleavedKind {
  id: string;
  scenario: string;
  /** The i-th request of this kind. */
  request(index: number): RequestSpec;
}

/**
 * One request at a time, the kinds taking turns (a, b, c, a, b, c …) so that drift over the
 * run (JIT, caches, GC) falls on every kind alike: what a timing attacker would measure.
 */
export async function measureInterleaved(
  context: MeasureContext,
  input: { route: string; kinds: InterleavedKind[]; warmupRounds: number; rounds: number; expectedStatus: number },
): Promise<Measurement[]> {
  const { bench, load } = context;
  const baseUrl = bench.app.url;
  const build = (from: number, rounds: number): RequestSpec[] =>
    Array.from({ length: rounds }, (_, round) =>
      input.kinds.map((kind) => ({ ...kind.request(from + round), tag: kind.id })),
    ).flat();
  const warmup = await load.run({
    baseUrl,
    headers: FORWARDED_HTTPS,
    concurrency: 1,
    requests: build(0, input.warmupRounds),
  });
  assertStatuses('interleaved warm-up', warmup, input.expectedStatus);
  bench.timer.start();
  const requests = build(input.warmupRounds, input.rounds);
  const busyBefore = performance.eventLoopUtilization();
  const cpuBefore = snapshotCpu();
  const result = await load.run({ baseUrl, headers: FORWARDED_HTTPS, concurrency: 1, requests });
  const cpu = cpuShareSince(cpuBefore, result.cpuMicroseconds);
  const busy = performance.eventLoopUtilization(busyBefore);
  // One request at a time: the server's timings come in the order of the requests.
  const server = bench.timer.stop();
  assertStatuses('interleaved', result, input.expectedStatus);

  return input.kinds.map((kind) => {
    const indexes = requests.flatMap((request, index) => (request.tag === kind.id ? [index] : []));
    const latencies = indexes.map((index) => result.latenciesMilliseconds[index] ?? 0);
    const serverTimes = indexes.map((index) => server[index] ?? 0);
    const totalMilliseconds = latencies.reduce((sum, value) => sum + value, 0);
    const measurement: Measurement = {
      id: kind.id,
      scenario: kind.scenario,
      route: input.route,
      database: context.database,
      concurrency: 1,
      warmupRequests: input.warmupRounds,
      requests: indexes.length,
      p50Milliseconds: round(percentile(latencies, 50)),
      p95Milliseconds: round(percentile(latencies, 95)),
      // Sequential: the rate this kind alone would reach at concurrency 1.
      requestsPerSecond: round((indexes.length * 1000) / totalMilliseconds, 1),
      ...serverStatistics(serverTimes),
      serverEventLoopUtilization: round(busy.utilization),
      cpu,
      statuses: countStatuses(indexes.map((index) => result.statuses[index] ?? 0)),
    };
    process.stdout.write(
      `[bench] ${context.database} ${kind.id}: p50 ${measurement.p50Milliseconds} ms (server ${measurement.serverP50Milliseconds} ms)\n`,
    );
    return measurement;
  });
}

export interface TurnKind {
  id: string;
  scenario: string;
  route: string;
  /** The warm-up, run once before the first round. */
  warmup: RequestSpec[];
  /** The timed requests, cut into one slice per round. */
  requests: RequestSpec[];
  expectedStatus: number;
}

/**
 * Kinds of request on one app taking turns, batch by batch at `concurrency` (a's slice, b's
 * slice, a's next slice …): a ratio between them is free of the drift between runs minutes
 * apart. Each kind's req/s is its requests over the time its own turns took; its server
 * times, event-loop use and CPU are summed over its turns.
 */
export async function measureTurns(
  context: MeasureContext,
  input: { kinds: TurnKind[]; rounds: number; concurrency: number },
): Promise<Measurement[]> {
  const { bench, load } = context;
  const job = (requests: RequestSpec[]) =>
    load.run({ baseUrl: bench.app.url, headers: FORWARDED_HTTPS, concurrency: input.concurrency, requests });
  for (const kind of input.kinds) {
    if (kind.warmup.length > 0) assertStatuses(`${kind.id} (warm-up)`, await job(kind.warmup), kind.expectedStatus);
  }
  const totals = input.kinds.map(() => ({
    latencies: [] as number[],
    statuses: [] as number[],
    server: [] as number[],
    wallMilliseconds: 0,
    strapiMicroseconds: 0,
    loadMicroseconds: 0,
    active: 0,
    idle: 0,
  }));
  for (let round = 0; round < input.rounds; round += 1) {
    for (const [index, kind] of input.kinds.entries()) {
      const per = Math.ceil(kind.requests.length / input.rounds);
      const slice = kind.requests.slice(round * per, (round + 1) * per);
      if (slice.length === 0) continue;
      const total = totals[index] as (typeof totals)[number];
      bench.timer.start();
      const busyBefore = performance.eventLoopUtilization();
      const cpuBefore = process.cpuUsage();
      const result = await job(slice);
      const cpu = process.cpuUsage(cpuBefore);
      const busy = performance.eventLoopUtilization(busyBefore);
      total.server.push(...bench.timer.stop());
      total.latencies.push(...result.latenciesMilliseconds);
      total.statuses.push(...result.statuses);
      total.wallMilliseconds += result.wallMilliseconds;
      total.strapiMicroseconds += cpu.user + cpu.system;
      total.loadMicroseconds += result.cpuMicroseconds;
      total.active += busy.active;
      total.idle += busy.idle;
      assertStatuses(kind.id, result, kind.expectedStatus);
    }
  }
  return input.kinds.map((kind, index) => {
    const total = totals[index] as (typeof totals)[number];
    const wallMicroseconds = Math.max(1, total.wallMilliseconds * 1000);
    const measurement: Measurement = {
      id: kind.id,
      scenario: kind.scenario,
      route: kind.route,
      database: context.database,
      concurrency: input.concurrency,
      warmupRequests: kind.warmup.length,
      ...latencyStatistics(total.latencies, total.wallMilliseconds),
      ...serverStatistics(total.server),
      serverEventLoopUtilization: round(total.active / Math.max(1e-9, total.active + total.idle)),
      cpuMillisecondsPerRequest: round(total.strapiMicroseconds / 1000 / Math.max(1, total.latencies.length), 3),
      cpu: {
        strapiCores: round(total.strapiMicroseconds / wallMicroseconds),
        loadGeneratorCores: round(total.loadMicroseconds / wallMicroseconds),
      },
      statuses: countStatuses(total.statuses),
    };
    process.stdout.write(
      `[bench] ${context.database} ${kind.id} (taking turns): p50 ${measurement.p50Milliseconds} ms, ${measurement.requestsPerSecond} req/s, CPU ${measurement.cpuMillisecondsPerRequest} ms/request\n`,
    );
    return measurement;
  });
}
