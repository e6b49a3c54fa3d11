// `npm run develop`: the Twilio-compatible dev server on :4010 beside `strapi develop`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEnv } from './ensureEnv.mjs';
import { startMailCatcher } from './mailCatcher.mjs';
import { checkPorts, developPorts } from './preflight.mjs';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const written = ensureEnv(appDir);
if (written.length > 0) process.stdout.write(`Wrote ${written.length} variables to apps/example/.env (first run)\n`);

// Strapi reads .env itself; the dev server needs the same Twilio credentials.
process.loadEnvFile(path.join(appDir, '.env'));

// Run alone (`npm run develop -w …`) the root's preflight did not run; it costs milliseconds.
const problems = await checkPorts(developPorts(process.env));
if (problems.length > 0) {
  for (const line of problems) process.stderr.write(`${line}\n`);
  process.exit(1);
}

const { createTwilioDevServer } = require('@strapi-two-factor/twilio-dev-server');
const twilio = createTwilioDevServer({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
});
const port = Number(process.env.TWILIO_DEV_SERVER_PORT ?? 4010);
const twilioUrl = await twilio.listen(port, '127.0.0.1');
// .env points Strapi at the dev server's default address; follow it to another port.
const DEFAULT_TWILIO_URL = 'http://127.0.0.1:4010';
const twilioEnv = {};
for (const name of ['TWILIO_API_BASE_URL', 'TWILIO_VERIFY_BASE_URL']) {
  if ((process.env[name] ?? DEFAULT_TWILIO_URL).replace(/\/$/, '') === DEFAULT_TWILIO_URL) twilioEnv[name] = twilioUrl;
}
process.stdout.write(`\nTwilio-compatible dev server: ${twilioUrl}/  (every SMS the app sends shows up there)\n`);

// Without an SMTP server of its own the app mails the catcher, which prints each mail here.
const mailEnv = {};
let stopMailCatcher = async () => undefined;
if (!process.env.SMTP_HOST) {
  const mailPort = Number(process.env.MAIL_CATCHER_PORT || 1025);
  stopMailCatcher = await startMailCatcher(mailPort);
  Object.assign(mailEnv, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(mailPort),
    SMTP_SECURE: 'false',
    SMTP_IGNORE_TLS: 'true',
  });
  process.stdout.write(`Mail catcher: smtp://127.0.0.1:${mailPort}  (every mail the app sends is printed here)\n`);
}
process.stdout.write('\n');

// `bin/strapi.js` is not in the package's exports; its package.json is.
const strapiBin = path.join(path.dirname(require.resolve('@strapi/strapi/package.json')), 'bin', 'strapi.js');
const child = spawn(process.execPath, [strapiBin, 'develop', ...process.argv.slice(2)], {
  cwd: appDir,
  stdio: 'inherit',
  env: { ...process.env, ...twilioEnv, ...mailEnv, STRAPI_TELEMETRY_DISABLED: 'true' },
});

const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', async (code) => {
  await twilio.close();
  await stopMailCatcher();
  process.exit(code ?? 0);
});
