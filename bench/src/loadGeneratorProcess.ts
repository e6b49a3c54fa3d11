import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResponseMessage, LoadResult } from './load/protocol';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LOAD_GENERATOR_SCRIPT = path.resolve(here, '..', 'dist', 'load', 'loadGenerator.js');

/** The load generator child process (see `load/loadGenerator.ts`), one job at a time. */
export class LoadGeneratorProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(result: LoadResult): void; reject(error: Error): void }>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (message: LoadResponseMessage) => {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      if ('error' in message) pending.reject(new Error(`Load generator failed: ${message.error}`));
      else pending.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`Load generator exited with ${code}`));
      this.#pending.clear();
    });
  }

  static start(): LoadGeneratorProcess {
    if (!existsSync(LOAD_GENERATOR_SCRIPT)) {
      throw new Error(
        `${LOAD_GENERATOR_SCRIPT} is missing: run \`tsc -p bench/tsconfig.loadgen.json\` (npm run bench does)`,
      );
    }
    return new LoadGeneratorProcess(
      fork(LOAD_GENERATOR_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, job });
    });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.disconnect();
    await exited;
  }
}
