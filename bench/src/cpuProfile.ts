import { Session } from 'node:inspector/promises';
import { round } from './statistics';

/** Where the Strapi process's CPU went during a run, from V8's sampling profiler. */
export interface CpuProfileSummary {
  requests: number;
  /** CPU time sampled (idle excluded) per request, milliseconds. */
  busyMillisecondsPerRequest: number;
  /** Self time by area (package or part of Node), largest first, as shares of the busy time. */
  areas: Array<{ area: string; share: number; millisecondsPerRequest: number }>;
  /** The functions with the most self time, largest first. */
  functions: Array<{ name: string; area: string; share: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The package (or part of the runtime) a function's script belongs to. */
function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 and native code';
    return 'native code';
  }
  if (url.includes('strapi-plugin-two-factor/')) return 'two-factor plugin';
  if (url.startsWith('node:')) return 'Node.js internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (match?.[1] !== undefined) return match[1];
  return 'other';
}

/**
 * Samples the CPU of this process (the Strapi app is booted in it) while `run` runs, at 100 µs
 * intervals, and sums each function's self time. `requests` turns totals into per-request
 * figures.
 */
export async function profileCpu(run: () => Promise<unknown>, requests: number): Promise<CpuProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await run();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    if (process.env.BENCH_CPU_PROFILE_DIR !== undefined) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${process.env.BENCH_CPU_PROFILE_DIR}/${Date.now()}.cpuprofile`, JSON.stringify(profile));
    }
    return summarise(profile, requests);
  } finally {
    session.disconnect();
  }
}

/**
 * The nodes under the profiler's own `Profiler.stop` call (`node:inspector`): the time the
 * profiler takes to hand its profile over, not the app's.
 */
function profilerOwnNodes(nodes: readonly ProfileNode[]): Set<number> {
  const own = new Set<number>();
  const mark = (node: ProfileNode | undefined, byId: Map<number, ProfileNode>): void => {
    if (node === undefined || own.has(node.id)) return;
    own.add(node.id);
    for (const child of node.children ?? []) mark(byId.get(child), byId);
  };
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) if (node.callFrame.url === 'node:inspector') mark(node, byId);
  return own;
}

function summarise(profile: Profile, requests: number): CpuProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const profilerOwn = profilerOwnNodes(profile.nodes);
  const selfMicroseconds = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time delta is the time since the previous sample: it belongs to this sample.
  for (let index = 0; index < samples.length; index += 1) {
    const id = samples[index] as number;
    selfMicroseconds.set(id, (selfMicroseconds.get(id) ?? 0) + Math.max(0, deltas[index] ?? 0));
  }
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, { area: string; microseconds: number }>();
  let busy = 0;
  for (const [id, microseconds] of selfMicroseconds) {
    const node = nodes.get(id);
    if (node === undefined || profilerOwn.has(id)) continue;
    const area = areaOf(node);
    if (area === 'idle') continue;
    busy += microseconds;
    byArea.set(area, (byArea.get(area) ?? 0) + microseconds);
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
    const name = `${functionName || '(anonymous)'} ${file === '' ? '' : `${file}:${lineNumber + 1}`}`.trim();
    const entry = byFunction.get(name) ?? { area, microseconds: 0 };
    entry.microseconds += microseconds;
    byFunction.set(name, entry);
  }
  const share = (microseconds: number): number => (busy === 0 ? 0 : round(microseconds / busy, 3));
  return {
    requests,
    busyMillisecondsPerRequest: round(busy / 1000 / Math.max(1, requests), 3),
    areas: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .map(([area, microseconds]) => ({
        area,
        share: share(microseconds),
        millisecondsPerRequest: round(microseconds / 1000 / Math.max(1, requests), 3),
      })),
    functions: [...byFunction]
      .sort((a, b) => b[1].microseconds - a[1].microseconds)
      .slice(0, 25)
      .map(([name, { area, microseconds }]) => ({ name, area, share: share(microseconds) })),
  };
}
