// `npm run develop` runs this first, before the build: a port another program holds gets one
// line naming the variable to set, instead of a raw EADDRINUSE stack after a minute of build.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The ports `npm run develop` opens, read as develop.mjs and config/server.ts read them. */
export function developPorts(env) {
  return [
    {
      what: 'Strapi',
      variable: 'PORT',
      host: env.HOST || '0.0.0.0',
      port: Number(env.PORT || 1337),
    },
    {
      what: 'the Twilio-compatible dev server',
      variable: 'TWILIO_DEV_SERVER_PORT',
      host: '127.0.0.1',
      port: Number(env.TWILIO_DEV_SERVER_PORT || 4010),
    },
    // The mail catcher runs only when the app has no SMTP server of its own.
    ...(env.SMTP_HOST
      ? []
      : [
          {
            what: 'the mail catcher',
            variable: 'MAIL_CATCHER_PORT',
            host: '127.0.0.1',
            port: Number(env.MAIL_CATCHER_PORT || 1025),
          },
        ]),
  ];
}

/** Resolves to the listen error's code, or `undefined` when the port is free. */
function tryListen(host, port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve(error.code ?? String(error)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** One line per port that cannot be opened; empty when all are free. */
export async function checkPorts(ports) {
  const problems = [];
  for (const { what, variable, host, port } of ports) {
    const code = await tryListen(host, port);
    if (code === undefined) continue;
    const reason = code === 'EADDRINUSE' ? 'is in use' : `cannot be opened (${code})`;
    problems.push(
      `Port ${port} (${what}) ${reason}: set ${variable} to a free port, e.g. ${variable}=${port + 1} npm run develop`,
    );
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The app's .env counts as develop.mjs and Strapi read it; the shell's variables win.
  const envFile = path.join(appDir, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const problems = await checkPorts(developPorts(process.env));
  for (const line of problems) process.stderr.write(`${line}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
