import { randomBytes } from 'node:crypto';
import { rfc2822Date } from './twilioDates';

/** What the server received and would have delivered: one entry per accepted SMS. */
export interface OutboxMessage {
  sid: string;
  /** `messages` for Programmable Messaging, `verify` for a Verify v2 code. */
  api: 'messages' | 'verify';
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  verifyServiceSid: string | null;
  body: string;
  /** The Verify code, so a test or a person can read it without parsing the body. */
  code: string | null;
  /** The `Authorization` header's user name, as the server checked it. */
  basicAuthUser: string;
  /** RFC 2822, as Twilio's Message resource writes it: `Thu, 30 Jul 2015 20:12:31 +0000`. */
  dateCreated: string;
}

export function twilioSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export class Outbox {
  readonly #messages: OutboxMessage[] = [];
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(capacity = 1000, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#now = now;
  }

  add(message: Omit<OutboxMessage, 'sid' | 'dateCreated'> & { sid?: string }): OutboxMessage {
    const entry: OutboxMessage = {
      ...message,
      sid: message.sid ?? twilioSid('SM'),
      dateCreated: rfc2822Date(this.#now()),
    };
    this.#messages.push(entry);
    // Bounded so a long `npm run develop` session cannot grow without end.
    if (this.#messages.length > this.#capacity) this.#messages.shift();
    return entry;
  }

  /** Oldest first; only those sent to `to` when given. */
  list(to?: string): OutboxMessage[] {
    return to === undefined ? [...this.#messages] : this.#messages.filter((m) => m.to === to);
  }

  clear(): void {
    this.#messages.length = 0;
  }
}
