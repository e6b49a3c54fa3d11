/** What the benchmark process and the load generator process say to each other over IPC. */

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  /** A JSON body, already serialised. */
  body?: string;
  /** Groups requests of one job for separate statistics (e.g. `unknown` / `known`). */
  tag?: string;
}

export interface LoadJob {
  baseUrl: string;
  /** Requests in flight at once; each worker takes the next request of the list. */
  concurrency: number;
  requests: RequestSpec[];
  /** Sent with every request of the job. */
  headers?: Record<string, string>;
  /** Keep every response body (for preparation steps); otherwise only a few unexpected ones. */
  keepBodies?: boolean;
}

export interface LoadResult {
  /** Per request, in the order of `requests`: milliseconds from sending to the last byte. */
  latenciesMilliseconds: number[];
  statuses: number[];
  /** From the first request sent to the last response read. */
  wallMilliseconds: number;
  /** CPU time the load generator process spent on the job (user + system), microseconds. */
  cpuMicroseconds: number;
  /** Every body when `keepBodies`, else the first body of each status outside 2xx. */
  bodies: Record<number, string>;
}

export interface LoadRequestMessage {
  id: number;
  job: LoadJob;
}

export type LoadResponseMessage = { id: number; result: LoadResult } | { id: number; error: string };
