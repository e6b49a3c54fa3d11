import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const PREFLIGHT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'apps',
  'example',
  'scripts',
  'preflight.mjs',
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runPreflight(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PREFLIGHT], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = await listen();
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the preflight `npm run develop` runs before the build', () => {
  const held: Server[] = [];

  afterEach(async () => {
    await Promise.all(held.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  it("should exit 1 with one line naming TWILIO_DEV_SERVER_PORT when the dev server's port is taken", async () => {
    const taken = await listen();
    held.push(taken);
    const run = await runPreflight({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TWILIO_DEV_SERVER_PORT: String(portOf(taken)),
      MAIL_CATCHER_PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Port ${portOf(taken)} (the Twilio-compatible dev server) is in use: set TWILIO_DEV_SERVER_PORT to a free port, e.g. TWILIO_DEV_SERVER_PORT=${portOf(taken) + 1} npm run develop\n`,
    );
  });

  it("should exit 1 with one line naming PORT when Strapi's port is taken", async () => {
    const taken = await listen();
    held.push(taken);
    const run = await runPreflight({
      HOST: '127.0.0.1',
      PORT: String(portOf(taken)),
      TWILIO_DEV_SERVER_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Port ${portOf(taken)} (Strapi) is in use: set PORT to a free port, e.g. PORT=${portOf(taken) + 1} npm run develop\n`,
    );
  });

  it("should exit 1 with one line naming MAIL_CATCHER_PORT when the mail catcher's port is taken", async () => {
    const taken = await listen();
    held.push(taken);
    const run = await runPreflight({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TWILIO_DEV_SERVER_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(portOf(taken)),
      SMTP_HOST: '',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Port ${portOf(taken)} (the mail catcher) is in use: set MAIL_CATCHER_PORT to a free port, e.g. MAIL_CATCHER_PORT=${portOf(taken) + 1} npm run develop\n`,
    );
  });

  it("should not check the mail catcher's port when the app has an SMTP server of its own", async () => {
    const taken = await listen();
    held.push(taken);
    const run = await runPreflight({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TWILIO_DEV_SERVER_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(portOf(taken)),
      SMTP_HOST: 'smtp.example.test',
    });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('should exit 0 and print nothing when every port is free', async () => {
    const run = await runPreflight({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TWILIO_DEV_SERVER_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(await freePort()),
    });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
