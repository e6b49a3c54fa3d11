import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatorCode } from '../support/totp';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLUGIN_DIR = path.join(REPO, 'packages', 'strapi-plugin-two-factor');
const run = promisify(execFile);

/** What `npx create-strapi-app` puts in a new app's dependencies (SQLite, no example data). */
const APP_DEPENDENCIES: Record<string, string> = {
  '@strapi/plugin-users-permissions': '5.54.0',
  '@strapi/strapi': '5.54.0',
  'better-sqlite3': '12.8.0',
  react: '^18.3.1',
  'react-dom': '^18.3.1',
  'react-router-dom': '^6.30.0',
  'styled-components': '^6.1.0',
};

interface LockEntry {
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** Where Node finds `name` from the package at lock path `from` (`''` is the root). */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/**
 * The top-level packages of this repository's node_modules that the app's own dependencies
 * reach (by the lockfile), and nothing else: the plugin's dependencies must come from its
 * tarball, not from what the monorepo happens to have installed.
 */
async function strapiClosure(roots: string[]): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const root of roots) {
    const found = resolveInLock(lock.packages, '', root);
    if (found === undefined) throw new Error(`${root} is not in package-lock.json`);
    queue.push(found);
  }
  while (queue.length > 0) {
    const at = queue.pop() as string;
    const entry = lock.packages[at];
    if (seen.has(at) || entry === undefined || entry.link === true) continue;
    seen.add(at);
    const names = [entry.dependencies, entry.optionalDependencies, entry.peerDependencies].flatMap((deps) =>
      Object.keys(deps ?? {}),
    );
    for (const name of names) {
      const found = resolveInLock(lock.packages, at, name);
      if (found !== undefined) queue.push(found);
    }
  }
  return [...seen].filter((at) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(at)).map((at) => at.slice(13));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const secret = (): string => randomBytes(24).toString('base64');

/** A new app's files, secrets written in (no `.env`), the plugin configured as the README says. */
function appFiles(port: number): Record<string, string> {
  return {
    'config/server.js': `module.exports = () => ({
  host: '127.0.0.1',
  port: ${port},
  app: { keys: ${JSON.stringify([secret(), secret()])} },
  logger: { updates: { enabled: false } },
});
`,
    'config/database.js': `const path = require('node:path');
module.exports = () => ({
  connection: {
    client: 'sqlite',
    connection: { filename: path.join(__dirname, '..', '.tmp', 'data.db') },
    useNullAsDefault: true,
  },
});
`,
    'config/admin.js': `module.exports = () => ({
  auth: { secret: ${JSON.stringify(secret())} },
  apiToken: { salt: ${JSON.stringify(secret())} },
  transfer: { token: { salt: ${JSON.stringify(secret())} } },
  secrets: { encryptionKey: ${JSON.stringify(secret())} },
  // The test speaks to the Content API only; the admin panel is not built.
  serveAdminPanel: false,
});
`,
    'config/middlewares.js': `module.exports = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
`,
    'config/plugins.js': `module.exports = () => ({
  'users-permissions': {
    config: { jwtSecret: ${JSON.stringify(secret())} },
  },
  'two-factor': {
    enabled: true,
    config: {
      appName: 'My app',
      encryptionKey: ${JSON.stringify(secret())},
      sms: { provider: 'console' },
    },
  },
});
`,
    'src/index.js': `module.exports = {
  register() {},
  bootstrap() {
    // For the test: which copy of the plugin Strapi loaded.
    const loaded = Object.keys(require.cache).filter((file) => file.includes('strapi-plugin-two-factor'));
    process.stdout.write('plugin modules: ' + JSON.stringify(loaded) + '\\n');
  },
};
`,
    'public/robots.txt': 'User-agent: *\nDisallow: /\n',
    'public/uploads/.gitkeep': '',
    'server.js': `const { createStrapi } = require('@strapi/strapi');

createStrapi({ appDir: __dirname, distDir: __dirname }).start();
`,
  };
}

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

async function post(url: string, body: unknown, jwt?: string): Promise<JsonResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(jwt === undefined ? {} : { authorization: `Bearer ${jwt}` }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const currentStep = (): number => Math.floor(Date.now() / 1000 / 30);

describe('the packed plugin in a new Strapi app of its own', () => {
  let workDir: string;
  let appDir: string;
  let packedFiles: string[];
  let child: ChildProcess | undefined;
  let output = '';
  let baseUrl: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'two-factor-packaging-'));
    appDir = path.join(workDir, 'my-app');

    // 1. The tarball, as `npm publish` would upload it (the plugin is built by `pretest`).
    const packed = await run('npm', ['pack', '--pack-destination', workDir, '--json'], { cwd: PLUGIN_DIR });
    const [pack] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    packedFiles = pack.files.map((file) => file.path);
    const tarball = path.join(workDir, pack.filename);

    // 2. A new app, outside this repository: nothing above it has a node_modules.
    const port = await freePort();
    for (const [file, text] of Object.entries(appFiles(port))) {
      await mkdir(path.dirname(path.join(appDir, file)), { recursive: true });
      await writeFile(path.join(appDir, file), text);
    }
    await writeFile(
      path.join(appDir, 'package.json'),
      `${JSON.stringify({ name: 'my-app', version: '0.1.0', private: true }, null, 2)}\n`,
    );

    // 3. The README's install step. Strapi is not installed from the registry here (minutes,
    // and better-sqlite3 compiles): peers are left to step 4 (--legacy-peer-deps), and the
    // plugin's own dependencies land beside it (nested), so only its tarball provides them.
    await run(
      'npm',
      [
        'install',
        tarball,
        '--prefer-offline',
        '--legacy-peer-deps',
        '--install-strategy=nested',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      { cwd: appDir },
    );

    // 4. Strapi and its dependencies, linked from this repository's node_modules; the app runs
    // with --preserve-symlinks so Strapi resolves the plugin from the app, as it would there.
    for (const name of await strapiClosure([...Object.keys(APP_DEPENDENCIES), '@strapi/utils'])) {
      const link = path.join(appDir, 'node_modules', name);
      if (existsSync(link)) continue;
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(path.join(REPO, 'node_modules', name), link, 'dir');
    }
    const manifest = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    manifest.dependencies = { ...APP_DEPENDENCIES, ...manifest.dependencies };
    await writeFile(path.join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    // 5. Boot it.
    child = spawn(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', 'server.js'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        STRAPI_TELEMETRY_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output}`);
      const up = await fetch(`${baseUrl}/_health`).then(
        (response) => response.status === 204,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the app did not answer in 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('should pack the built server and admin, the README and the LICENSE, and no sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/server/index.js',
        'dist/server/index.mjs',
        'dist/admin/index.js',
        'dist/admin/index.mjs',
      ]),
    );
    expect(packedFiles.filter((file) => !file.startsWith('dist/') && !file.includes('/'))).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE']),
    );
    expect(packedFiles.filter((file) => file.startsWith('server/') || file.startsWith('admin/'))).toEqual([]);
  });

  it('should install every file its exports name', async () => {
    const installed = path.join(appDir, 'node_modules', 'strapi-plugin-two-factor');
    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
    };
    const targets = Object.entries(manifest.exports).flatMap(([entry, target]) =>
      typeof target === 'string'
        ? [target]
        : Object.entries(target)
            .filter(([condition]) => condition !== 'source' && !(entry === '.' && condition === 'types'))
            .map(([, file]) => file),
    );
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((file) => !existsSync(path.join(installed, file)))).toEqual([]);
  });

  it("should boot with the plugin loaded from the installed tarball, not this repository's copy", () => {
    const line = /^plugin modules: (.*)$/m.exec(output)?.[1];
    expect(line, output).toBeDefined();
    const loaded = JSON.parse(line ?? '[]') as string[];
    const installed = path.join(appDir, 'node_modules', 'strapi-plugin-two-factor');
    expect(loaded).toContain(path.join(installed, 'dist', 'server', 'index.js'));
    expect(loaded.filter((file) => !file.startsWith(`${installed}/`))).toEqual([]);
  });

  it('should take a user with an authenticator app through the two-step sign-in over HTTP', async () => {
    const suffix = randomBytes(4).toString('hex');
    const user = { username: `ada_${suffix}`, email: `ada.${suffix}@example.test`, password: 'Correct-horse-1' };
    const registered = await post(`${baseUrl}/api/auth/local/register`, user);
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const jwt = registered.body.jwt as string;

    // The plugin grants its self-service routes to the Authenticated role by itself.
    const setup = await post(`${baseUrl}/api/two-factor/totp/setup`, {}, jwt);
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const totpSecret = setup.body.secret as string;
    const step = currentStep();
    const activate = await post(
      `${baseUrl}/api/two-factor/totp/activate`,
      { factorId: setup.body.factorId, code: authenticatorCode(totpSecret, step) },
      jwt,
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);

    // Step 1: Strapi's own route answers with a challenge and no token.
    const step1 = await post(`${baseUrl}/api/auth/local`, { identifier: user.email, password: user.password });
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    expect(step1.body).toMatchObject({ mfaRequired: true });
    expect(step1.body).not.toHaveProperty('jwt');
    const token = (step1.body.challenge as { token: string }).token;

    const wrong = await post(`${baseUrl}/api/two-factor/challenge/verify`, { token, method: 'totp', code: '000000' });
    expect(wrong.status).toBe(400);
    expect((wrong.body.error as { details: { code: string } }).details.code).toBe('INVALID_CODE');

    // Step 2: the next step's code (the activation spent this one; ±1 step is accepted).
    const verify = await post(`${baseUrl}/api/two-factor/challenge/verify`, {
      token,
      method: 'totp',
      code: authenticatorCode(totpSecret, Math.max(step + 1, currentStep())),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body).toHaveProperty('jwt');
    const me = await fetch(`${baseUrl}/api/users/me`, { headers: { authorization: `Bearer ${verify.body.jwt}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(user.email);
  });
});
