import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin panel test needs Strapi's admin panel built (`strapi build`, one to two
 * minutes, into apps/example/dist/build). It is built here, once per run, and only when
 * what goes into it changed since the last build: the plugin's admin bundle, the app's
 * package.json and the lockfile. A hash of those sits beside the build.
 */
const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_DIR = path.join(REPOSITORY, 'apps', 'example');
const BUILD_DIR = path.join(APP_DIR, 'dist', 'build');
const STAMP = path.join(BUILD_DIR, '.two-factor-inputs.sha256');
const PLUGIN_ADMIN_DIST = path.join(REPOSITORY, 'packages', 'strapi-plugin-two-factor', 'dist', 'admin');
const CHROMIUM = '/usr/bin/chromium';

async function filesUnder(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return [];
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function inputsHash(): Promise<string> {
  const files = [
    ...(await filesUnder(PLUGIN_ADMIN_DIST)),
    ...(await filesUnder(path.join(APP_DIR, 'src', 'admin'))),
    path.join(APP_DIR, 'package.json'),
    path.join(REPOSITORY, 'package-lock.json'),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(REPOSITORY, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

function strapiBuild(): Promise<void> {
  const require = createRequire(import.meta.url);
  // `bin/strapi.js` is not in the package's exports; its package.json is.
  const strapiBin = path.join(path.dirname(require.resolve('@strapi/strapi/package.json')), 'bin', 'strapi.js');
  const secret = (): string => randomBytes(24).toString('base64');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [strapiBin, 'build'], {
      cwd: APP_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        // The config files need these to load; nothing of them ends up in the bundle.
        APP_KEYS: `${secret()},${secret()}`,
        API_TOKEN_SALT: secret(),
        ADMIN_JWT_SECRET: secret(),
        TRANSFER_TOKEN_SALT: secret(),
        JWT_SECRET: secret(),
        STRAPI_TELEMETRY_DISABLED: 'true',
      },
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`strapi build exited with ${code} (apps/example)`)),
    );
  });
}

export default async function setup(): Promise<void> {
  // Without the browser the admin panel test is skipped (locally): no need to build.
  if (!existsSync(CHROMIUM) && process.env.CI !== 'true') return;
  const expected = await inputsHash();
  const built = existsSync(path.join(BUILD_DIR, 'index.html')) && existsSync(STAMP);
  if (built && (await readFile(STAMP, 'utf8')) === expected) return;
  process.stdout.write('[two-factor e2e] building the admin panel (strapi build in apps/example)…\n');
  const startedAt = Date.now();
  await strapiBuild();
  await writeFile(STAMP, expected);
  process.stdout.write(`[two-factor e2e] admin panel built in ${Math.round((Date.now() - startedAt) / 1000)} s\n`);
}
