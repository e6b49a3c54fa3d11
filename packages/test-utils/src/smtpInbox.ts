import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string[];
  subject: string;
  raw: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives: the example app's nodemailer
 * provider talks SMTP to it, and tests read the mail.
 */
export class SmtpInbox {
  readonly #server: SMTPServer;
  readonly #mail: ReceivedEmail[] = [];

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
          this.#mail.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, raw });
          callback();
        });
      },
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.server.address() as AddressInfo).port;
  }

  /** The env that points the example app's email plugin here. */
  async env(): Promise<Record<string, string>> {
    const port = await this.listen();
    return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_IGNORE_TLS: 'true' };
  }

  messages(to?: string): ReceivedEmail[] {
    return to === undefined ? [...this.#mail] : this.#mail.filter((m) => m.to.includes(to));
  }

  /** The code in the newest mail to `to` that holds one (its subject starts with it; notices hold none). */
  lastCode(to: string): string {
    for (const mail of this.messages(to).reverse()) {
      const code = /(\d{6,8})/.exec(mail.subject)?.[1];
      if (code !== undefined) return code;
    }
    throw new Error(`No code mailed to ${to}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
