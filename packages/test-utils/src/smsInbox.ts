import type { OutboxMessage } from '@strapi-two-factor/twilio-dev-server';

/** Reads the Twilio-compatible server's outbox over HTTP, as a person or another process would. */
export class SmsInbox {
  constructor(readonly twilioUrl: string) {}

  async messages(to?: string): Promise<OutboxMessage[]> {
    const query = to === undefined ? '' : `?to=${encodeURIComponent(to)}`;
    const response = await fetch(`${this.twilioUrl}/__dev/messages${query}`);
    if (!response.ok) throw new Error(`Outbox answered ${response.status}`);
    const { messages } = (await response.json()) as { messages: OutboxMessage[] };
    return messages;
  }

  /** The newest SMS sent to `to`; fails when there is none. */
  async last(to: string): Promise<OutboxMessage> {
    const messages = await this.messages(to);
    const last = messages.at(-1);
    if (last === undefined) throw new Error(`No SMS was sent to ${to}`);
    return last;
  }

  /**
   * The code in the newest SMS to `to` that holds one (security notices hold none): Verify's
   * own code, else the first run of 6–8 digits.
   */
  async lastCode(to: string): Promise<string> {
    const messages = await this.messages(to);
    if (messages.length === 0) throw new Error(`No SMS was sent to ${to}`);
    for (const message of [...messages].reverse()) {
      const code = message.code ?? /\b(\d{6,8})\b/.exec(message.body)?.[1];
      if (code !== undefined) return code;
    }
    throw new Error(`No SMS to ${to} holds a code: "${messages.at(-1)?.body}"`);
  }

  async clear(): Promise<void> {
    const response = await fetch(`${this.twilioUrl}/__dev/messages`, { method: 'DELETE' });
    if (!response.ok) throw new Error(`Outbox answered ${response.status}`);
  }
}
