import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Server time of each request: from Node's `request` event (headers parsed) to the response's
 * `finish` (handed to the kernel), measured inside the Strapi process. At concurrency > 1 it
 * includes waiting for the event loop behind other requests.
 */
export class ServerTimer {
  #durations: number[] = [];
  #isRecording = false;

  constructor(server: Server) {
    server.prependListener('request', (_request, response) => {
      if (!this.#isRecording) return;
      const startedAt = performance.now();
      response.once('finish', () => this.#durations.push(performance.now() - startedAt));
    });
  }

  start(): void {
    this.#durations = [];
    this.#isRecording = true;
  }

  /** Durations in completion order, in milliseconds. */
  stop(): number[] {
    this.#isRecording = false;
    return this.#durations;
  }
}
