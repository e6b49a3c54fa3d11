import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SECRET_KEYS = new Set([
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
]);

const secret = () => randomBytes(24).toString('base64');

/**
 * Writes `.env` from `.env.example`, with fresh random secrets, when it is missing, and
 * appends any variable `.env.example` gained since. Never overwrites a value.
 */
export function ensureEnv(appDir) {
  const examplePath = path.join(appDir, '.env.example');
  const envPath = path.join(appDir, '.env');
  const existing = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
  const present = new Set(
    existing
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
      .filter(Boolean),
  );
  const added = [];
  for (const line of readFileSync(examplePath, 'utf8').split('\n')) {
    const key = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (key === undefined || present.has(key)) continue;
    if (key === 'APP_KEYS') added.push(`APP_KEYS=${[secret(), secret(), secret(), secret()].join(',')}`);
    else if (SECRET_KEYS.has(key)) added.push(`${key}=${secret()}`);
    else added.push(line);
  }
  if (added.length === 0) return [];
  const prefix = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  writeFileSync(envPath, `${prefix}${added.join('\n')}\n`, { mode: 0o600 });
  return added.map((line) => line.split('=')[0]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const keys = ensureEnv(appDir);
  if (keys.length > 0) process.stdout.write(`Wrote ${keys.length} variables to apps/example/.env\n`);
}
