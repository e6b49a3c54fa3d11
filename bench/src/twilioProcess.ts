import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TEST_TWILIO } from '@strapi-two-factor/test-utils';

const require = createRequire(import.meta.url);
const CLI = path.join(
  path.dirname(require.resolve('@strapi-two-factor/twilio-dev-server/package.json')),
  'dist',
  'cli.js',
);

export interface TwilioProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The project's Twilio-compatible dev server in its own process: Twilio is another machine in
 * production, so its work (parsing the form, keeping the outbox) must not be charged to the
 * Strapi process. The harness's in-process server stays idle.
 */
export async function startTwilioProcess(): Promise<TwilioProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '--port', '0', '--account-sid', TEST_TWILIO.accountSid, '--auth-token', TEST_TWILIO.authToken],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`The Twilio dev server exited with ${code}: ${output}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
