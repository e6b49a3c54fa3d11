import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const CATCHER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'apps',
  'example',
  'scripts',
  'mailCatcher.mjs',
);

interface MailCatcherModule {
  startMailCatcher(port: number, print: (text: string) => void): Promise<() => Promise<void>>;
}

interface Transport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

/** nodemailer, as the example app's email provider (@strapi/provider-email-nodemailer) uses it. */
const nodemailer = createRequire(
  createRequire(import.meta.url).resolve('@strapi/provider-email-nodemailer/package.json'),
)('nodemailer') as { createTransport(options: Record<string, unknown>): Transport };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}

describe("`npm run develop`'s mail catcher", () => {
  it('should print the recipient, subject and readable text of a mail nodemailer sends it', async () => {
    const { startMailCatcher } = (await import(pathToFileURL(CATCHER).href)) as MailCatcherModule;
    const port = await freePort();
    const printed: string[] = [];
    const stop = await startMailCatcher(port, (text) => printed.push(text));
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      // A long line with "=": quoted-printable on the wire, decoded by the catcher.
      const text = `123456 is your Example verification code. ${'It expires in 5 minutes; a=b. '.repeat(4)}`;
      await transport.sendMail({ from: 'no-reply@example.test', to: 'ada@example.test', subject: 'Your code', text });
      expect(printed).toHaveLength(1);
      expect(printed[0]).toContain('to ada@example.test: Your code');
      expect(printed[0]).toContain(text.trim());
    } finally {
      await stop();
    }
  });
});
