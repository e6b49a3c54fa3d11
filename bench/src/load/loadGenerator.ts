/**
 * The load generator: a separate Node process (compiled by `tsc -p bench/tsconfig.loadgen.json`)
 * so that building requests and parsing responses never runs on the Strapi process's event
 * loop and its CPU time is not counted as server time. Jobs arrive over IPC.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadJob, LoadRequestMessage, LoadResponseMessage, LoadResult, RequestSpec } from './protocol';

/** One keep-alive pool per base URL, kept between jobs so a warm-up also warms connections. */
const agents = new Map<string, http.Agent>();

function agentFor(baseUrl: string): http.Agent {
  let agent = agents.get(baseUrl);
  if (agent === undefined) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(baseUrl, agent);
  }
  return agent;
}

interface Answer {
  status: number;
  body: string;
  latencyMilliseconds: number;
}

function send(baseUrl: string, spec: RequestSpec, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(spec.path, baseUrl);
  const headers: Record<string, string | number> = { accept: 'application/json', ...extraHeaders };
  if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(spec.body);
  }
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const request = http.request(url, { method: spec.method, headers, agent: agentFor(baseUrl) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMilliseconds: performance.now() - startedAt,
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(spec.body);
  });
}

async function runJob(job: LoadJob): Promise<LoadResult> {
  const count = job.requests.length;
  const latenciesMilliseconds = new Array<number>(count).fill(0);
  const statuses = new Array<number>(count).fill(0);
  const bodies: Record<number, string> = {};
  let next = 0;

  async function worker(): Promise<void> {
    for (;;) {
      const index = next;
      next += 1;
      const spec = job.requests[index];
      if (spec === undefined) return;
      const answer = await send(job.baseUrl, spec, job.headers);
      latenciesMilliseconds[index] = answer.latencyMilliseconds;
      statuses[index] = answer.status;
      if (job.keepBodies === true) {
        bodies[index] = answer.body;
      } else if ((answer.status < 200 || answer.status > 299) && bodies[answer.status] === undefined) {
        bodies[answer.status] = answer.body.slice(0, 500);
      }
    }
  }

  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, () => worker()));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    latenciesMilliseconds,
    statuses,
    wallMilliseconds: performance.now() - startedAt,
    cpuMicroseconds: cpu.user + cpu.system,
    bodies,
  };
}

function reply(message: LoadResponseMessage): void {
  process.send?.(message);
}

process.on('message', (message: LoadRequestMessage) => {
  runJob(message.job).then(
    (result) => reply({ id: message.id, result }),
    (error: unknown) =>
      reply({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

process.on('disconnect', () => {
  for (const agent of agents.values()) agent.destroy();
  process.exit(0);
});
