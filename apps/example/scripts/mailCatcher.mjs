// `npm run develop`'s mail catcher: a real SMTP server on loopback that prints each mail the
// app sends (email codes, security notices, Strapi's confirmation and reset mails) to the
// console, as the Twilio-compatible dev server keeps each SMS. Nothing leaves the machine.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');

/** The text/plain part of a raw message, quoted-printable decoded; the whole body otherwise. */
export function readableText(raw) {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  let body = split >= 0 ? raw.slice(split).trim() : raw;
  const plain = /Content-Type: text\/plain[\s\S]*?\r?\n\r?\n([\s\S]*?)(?:\r?\n--|$)/i.exec(raw);
  if (plain?.[1] !== undefined) body = plain[1];
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)))
    .trim();
}

/** Starts the catcher on `port`; resolves to a function that stops it. */
export async function startMailCatcher(port, print = (text) => process.stdout.write(text)) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        const to = session.envelope.rcptTo.map((recipient) => recipient.address).join(', ');
        print(`\n[mail catcher] to ${to}: ${subject}\n${readableText(raw)}\n\n`);
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return () => new Promise((resolve) => server.close(resolve));
}
