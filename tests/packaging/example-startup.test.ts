import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { baseEnv, EXAMPLE_APP_DIR } from '@strapi-two-factor/test-utils';
import { afterAll, describe, expect, it } from 'vitest';

const STRAPI_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@strapi/strapi/package.json')),
  'bin',
  'strapi.js',
);

/** `strapi start` of the example app in development, until it says it started; its whole log. */
async function startUpLog(databaseFile: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [STRAPI_BIN, 'start'], {
    cwd: EXAMPLE_APP_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...baseEnv('http://127.0.0.1:9'),
      // What `npm run develop` runs in; Strapi's sendmail notice, for one, shows only there.
      NODE_ENV: 'development',
      // As `npm run develop` sets them: its mail catcher (nodemailer connects only to send).
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1025',
      SMTP_IGNORE_TLS: 'true',
      STRAPI_LOG_LEVEL: 'info',
      SERVE_ADMIN_PANEL: 'false',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: databaseFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`no "Strapi started successfully" in 120 s:\n${log}`));
    }, 120_000);
    const read = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('Strapi started successfully')) {
        clearTimeout(timer);
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', () => {
      clearTimeout(timer);
      if (log.includes('Strapi started successfully')) resolve(log);
      else reject(new Error(`the example app exited before it started:\n${log}`));
    });
  });
}

describe("the example app's start-up", () => {
  let workDir: string | undefined;

  afterAll(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('should log no warning and no error in development', async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'two-factor-startup-'));
    const log = await startUpLog(path.join(workDir, 'data.db'));
    // Strapi's logger writes "[time] warn: …"; the colour codes sit around the level.
    const flagged = log.split('\n').filter((line) => /\b(warn|error)\b/.test(stripVTControlCharacters(line)));
    expect(flagged).toEqual([]);
    expect(log).toContain('[two-factor] ready');
  });

  // The benchmark's plain-Strapi variant: the app must start without the plugin, whose
  // policies its own routes would otherwise name.
  it('should start with the plugin switched off', async () => {
    workDir ??= await mkdtemp(path.join(tmpdir(), 'two-factor-startup-'));
    const log = await startUpLog(path.join(workDir, 'plain.db'), { TWO_FACTOR_ENABLED: 'false' });
    expect(log).toContain('Strapi started successfully');
    expect(log).not.toContain('[two-factor] ready');
  });
});
