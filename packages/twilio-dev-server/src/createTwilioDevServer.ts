import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, parseForm, parseJson, readBody } from './formBody';
import { Outbox, type OutboxMessage, twilioSid } from './outbox';
import { renderOutboxPage } from './outboxPage';
import { iso8601Seconds } from './twilioDates';
import { isTwilioErrorCode, type TwilioErrorCode, twilioErrorBody } from './twilioErrors';
import { Verifications } from './verifications';

export interface TwilioDevServerOptions {
  /** The only account this server accepts. @default a fixed development SID */
  accountSid?: string;
  /** The auth token checked with HTTP Basic auth. @default a fixed development token */
  authToken?: string;
  /** Keep at most this many messages in the outbox. @default 1000 */
  outboxCapacity?: number;
  /** Milliseconds since the epoch; Verify expiry is measured with it. @default Date.now */
  now?: () => number;
}

export type TwilioApi = 'messages' | 'verify';

export interface InjectedFault {
  code: TwilioErrorCode;
  /** How many of the next matching requests fail. */
  remaining: number;
  /** Only requests to this API fail; both when absent. */
  api?: TwilioApi;
}

export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_AUTH_TOKEN = 'dev-auth-token-not-a-secret';

/**
 * Twilio's magic test numbers (https://www.twilio.com/docs/iam/test-credentials): sending to
 * them fails with the error Twilio's test credentials return, so a person can try each
 * failure from the example app without a test.
 */
const MAGIC_NUMBERS: Record<string, { messages: TwilioErrorCode; verify: TwilioErrorCode }> = {
  '+15005550001': { messages: 21211, verify: 60200 },
  '+15005550002': { messages: 21612, verify: 60200 },
  '+15005550003': { messages: 21408, verify: 60605 },
  '+15005550004': { messages: 21610, verify: 60605 },
  '+15005550009': { messages: 21614, verify: 60205 },
};

/**
 * The magic `From` numbers of Twilio's test credentials, with the bodies Twilio answers
 * (recorded against the real API): each names the number it refuses.
 */
const MAGIC_FROM_NUMBERS: Record<string, { code: TwilioErrorCode; message: (from: string) => string }> = {
  '+15005550001': {
    code: 21212,
    message: (from) => `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  },
  '+15005550007': {
    code: 21606,
    message: (from) =>
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
  },
  '+15005550008': { code: 21611, message: () => 'SMS queue is full.' },
};

const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const VERIFY_SERVICE_SID = /^VA[0-9a-fA-F]{32}$/;
const MAX_BODY_CHARACTERS = 1600;
const VERIFY_CHANNELS = new Set(['sms', 'call', 'email', 'whatsapp']);

class TwilioError extends Error {
  constructor(
    readonly code: TwilioErrorCode,
    readonly detail?: string,
  ) {
    super(detail ?? `Twilio error ${code}`);
    this.name = 'TwilioError';
  }
}

export class TwilioDevServer {
  readonly outbox: Outbox;
  readonly verifications = new Verifications();
  readonly accountSid: string;
  readonly #authToken: string;
  readonly #now: () => number;
  readonly #server: Server;
  #faults: InjectedFault[] = [];
  #delayMilliseconds = 0;

  constructor(options: TwilioDevServerOptions = {}) {
    this.accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
    this.#authToken = options.authToken ?? DEFAULT_AUTH_TOKEN;
    this.#now = options.now ?? Date.now;
    this.outbox = new Outbox(options.outboxCapacity, this.#now);
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        const code = error instanceof BodyTooLargeError ? 60200 : 20500;
        this.#sendJson(response, twilioErrorBody(code).status, twilioErrorBody(code));
      });
    });
  }

  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4010`. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.url;
  }

  get url(): string {
    const address = this.#server.address() as AddressInfo | null;
    if (address === null) throw new Error('The Twilio dev server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next `count` requests (to `api`, or to either API) fail with Twilio error `code`. */
  failNext(code: TwilioErrorCode, options: { count?: number; api?: TwilioApi } = {}): void {
    this.#faults.push({ code, remaining: options.count ?? 1, api: options.api });
  }

  /** Every API request waits this long before it is answered (0 to stop). */
  setDelay(milliseconds: number): void {
    this.#delayMilliseconds = milliseconds;
  }

  /** Empties the outbox and forgets faults, delay and open verifications. */
  reset(): void {
    this.outbox.clear();
    this.verifications.clear();
    this.#faults = [];
    this.#delayMilliseconds = 0;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const raw = await readBody(request);
    const method = request.method ?? 'GET';

    if (url.pathname === '/' && method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(renderOutboxPage(this.outbox.list()));
      return;
    }
    if (url.pathname.startsWith('/__dev/')) {
      this.#handleControl(method, url, raw, response);
      return;
    }

    const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const verify = /^\/v2\/Services\/([^/]+)\/(Verifications|VerificationCheck)$/.exec(url.pathname);
    if (method !== 'POST' || (messages === null && verify === null)) {
      this.#sendTwilioError(response, 20404, `The requested resource ${url.pathname} was not found`);
      return;
    }

    try {
      const basicAuthUser = this.#authenticate(request, messages?.[1]);
      if (this.#delayMilliseconds > 0) await delay(this.#delayMilliseconds);
      const api: TwilioApi = messages === null ? 'verify' : 'messages';
      this.#throwInjectedFault(api);
      const form = parseForm(request, raw);
      if (messages !== null) {
        this.#sendJson(response, 201, this.#createMessage(form, basicAuthUser));
      } else if (verify?.[2] === 'Verifications') {
        this.#sendJson(response, 201, this.#startVerification(verify[1] ?? '', form, basicAuthUser));
      } else {
        this.#sendJson(response, 200, this.#checkVerification(verify?.[1] ?? '', form));
      }
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      this.#sendTwilioError(response, error.code, error.detail);
    }
  }

  #authenticate(request: IncomingMessage, pathAccountSid: string | undefined): string {
    const header = request.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const user = separator === -1 ? '' : decoded.slice(0, separator);
    const password = separator === -1 ? '' : decoded.slice(separator + 1);
    const valid =
      user === this.accountSid &&
      safeEqual(password, this.#authToken) &&
      (pathAccountSid === undefined || pathAccountSid === this.accountSid);
    if (!valid) throw new TwilioError(20003);
    return user;
  }

  #throwInjectedFault(api: TwilioApi): void {
    const fault = this.#faults.find((f) => f.api === undefined || f.api === api);
    if (fault === undefined) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    throw new TwilioError(fault.code);
  }

  #createMessage(form: URLSearchParams, basicAuthUser: string): Record<string, unknown> {
    const to = form.get('To');
    const from = form.get('From');
    const messagingServiceSid = form.get('MessagingServiceSid');
    const body = form.get('Body');
    if (to === null || to === '') throw new TwilioError(21604);
    if (!E164.test(to)) throw new TwilioError(21211, `The 'To' number ${to} is not a valid phone number.`);
    if ((from === null || from === '') && (messagingServiceSid === null || messagingServiceSid === '')) {
      throw new TwilioError(21603);
    }
    if (from !== null && from !== '' && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
      throw new TwilioError(21606);
    }
    if (
      messagingServiceSid !== null &&
      messagingServiceSid !== '' &&
      !MESSAGING_SERVICE_SID.test(messagingServiceSid)
    ) {
      throw new TwilioError(21701);
    }
    const magicFrom = from === null ? undefined : MAGIC_FROM_NUMBERS[from];
    if (from !== null && magicFrom !== undefined) throw new TwilioError(magicFrom.code, magicFrom.message(from));
    if (body === null || body === '') throw new TwilioError(21602);
    if (body.length > MAX_BODY_CHARACTERS) throw new TwilioError(21617);
    const magic = MAGIC_NUMBERS[to];
    if (magic !== undefined) throw new TwilioError(magic.messages);

    const usesService = messagingServiceSid !== null && messagingServiceSid !== '';
    const message = this.outbox.add({
      api: 'messages',
      accountSid: this.accountSid,
      to,
      from: from === '' ? null : from,
      messagingServiceSid: usesService ? messagingServiceSid : null,
      verifyServiceSid: null,
      body,
      code: null,
      basicAuthUser,
    });
    return messageResource(message, usesService ? 'accepted' : 'queued');
  }

  #startVerification(serviceSid: string, form: URLSearchParams, basicAuthUser: string): Record<string, unknown> {
    if (!VERIFY_SERVICE_SID.test(serviceSid)) throw new TwilioError(20404);
    const to = form.get('To');
    const channel = form.get('Channel');
    if (to === null || to === '') throw new TwilioError(60200, 'Invalid parameter `To`');
    if (channel === null || !VERIFY_CHANNELS.has(channel)) {
      throw new TwilioError(60200, `Invalid parameter \`Channel\`: ${channel ?? ''}`);
    }
    if (!E164.test(to)) throw new TwilioError(60200, `Invalid parameter \`To\`: ${to}`);
    const magic = MAGIC_NUMBERS[to];
    if (magic !== undefined) throw new TwilioError(magic.verify);

    const now = this.#now();
    const result = this.verifications.start({ serviceSid, accountSid: this.accountSid, to, channel }, now);
    if (result.outcome === 'max-send-attempts') throw new TwilioError(60203);
    const { verification } = result;
    const friendlyName = form.get('CustomFriendlyName') ?? 'Strapi';
    this.outbox.add({
      api: 'verify',
      accountSid: this.accountSid,
      to,
      from: null,
      messagingServiceSid: null,
      verifyServiceSid: serviceSid,
      body: `Your ${friendlyName} verification code is: ${verification.code}`,
      code: verification.code,
      basicAuthUser,
    });
    return verificationResource(verification);
  }

  #checkVerification(serviceSid: string, form: URLSearchParams): Record<string, unknown> {
    if (!VERIFY_SERVICE_SID.test(serviceSid)) throw new TwilioError(20404);
    const code = form.get('Code');
    const to = form.get('To');
    const verificationSid = form.get('VerificationSid');
    if (code === null || code === '') throw new TwilioError(60200, 'Invalid parameter `Code`');
    if ((to === null || to === '') && (verificationSid === null || verificationSid === '')) {
      throw new TwilioError(60200, 'Either a `To` or `VerificationSid` must be specified');
    }
    const result = this.verifications.check(
      { serviceSid, to: to || undefined, verificationSid: verificationSid || undefined, code },
      this.#now(),
    );
    if (result.outcome === 'not-found') throw new TwilioError(20404);
    if (result.outcome === 'max-check-attempts') throw new TwilioError(60202);
    // A wrong code is not an HTTP error in Verify: 200 with status "pending".
    return verificationCheckResource(result.verification);
  }

  #handleControl(method: string, url: URL, raw: string, response: ServerResponse): void {
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /__dev/messages') {
      const to = url.searchParams.get('to') ?? undefined;
      this.#sendJson(response, 200, { messages: this.outbox.list(to) });
      return;
    }
    if (route === 'DELETE /__dev/messages') {
      this.outbox.clear();
      this.#sendJson(response, 200, { messages: [] });
      return;
    }
    if (route === 'POST /__dev/reset') {
      this.reset();
      this.#sendJson(response, 200, { ok: true });
      return;
    }
    if (route === 'POST /__dev/faults' || route === 'POST /__dev/delay') {
      let input: unknown;
      try {
        input = parseJson(raw);
      } catch {
        this.#sendJson(response, 400, { error: 'Body must be JSON' });
        return;
      }
      const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
      if (route === 'POST /__dev/delay') {
        const milliseconds = fields.milliseconds;
        if (typeof milliseconds !== 'number' || milliseconds < 0 || milliseconds > 120_000) {
          this.#sendJson(response, 400, { error: '`milliseconds` must be a number from 0 to 120000' });
          return;
        }
        this.setDelay(milliseconds);
        this.#sendJson(response, 200, { milliseconds });
        return;
      }
      const { code, count, api } = fields;
      if (typeof code !== 'number' || !isTwilioErrorCode(code)) {
        this.#sendJson(response, 400, { error: '`code` must be one of the Twilio error codes this server knows' });
        return;
      }
      if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
        this.#sendJson(response, 400, { error: '`count` must be a positive integer' });
        return;
      }
      if (api !== undefined && api !== 'messages' && api !== 'verify') {
        this.#sendJson(response, 400, { error: '`api` must be "messages" or "verify"' });
        return;
      }
      this.failNext(code, { count, api });
      this.#sendJson(response, 200, { code, count: count ?? 1, api: api ?? null });
      return;
    }
    this.#sendJson(response, 404, { error: `No control route ${route}` });
  }

  #sendTwilioError(response: ServerResponse, code: TwilioErrorCode, message?: string): void {
    const body = twilioErrorBody(code, message);
    const headers: Record<string, string> = {};
    if (code === 20003) headers['www-authenticate'] = 'Basic realm="Twilio API"';
    this.#sendJson(response, body.status, body, headers);
  }

  #sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }
}

function messageResource(message: OutboxMessage, status: 'queued' | 'accepted'): Record<string, unknown> {
  return {
    sid: message.sid,
    account_sid: message.accountSid,
    to: message.to,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    body: message.body,
    status,
    // Through a Messaging Service the message is only `accepted`: Twilio has not picked a
    // sender nor split the body yet, and answers "0".
    num_segments: status === 'accepted' ? '0' : String(Math.max(1, Math.ceil(message.body.length / 160))),
    num_media: '0',
    direction: 'outbound-api',
    api_version: '2010-04-01',
    price: null,
    price_unit: 'USD',
    error_code: null,
    error_message: null,
    date_created: message.dateCreated,
    date_updated: message.dateCreated,
    date_sent: null,
    uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
    subresource_uris: { media: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json` },
  };
}

interface VerificationFields {
  sid: string;
  serviceSid: string;
  accountSid: string;
  to: string;
  channel: string;
  status: string;
  sendAttempts: unknown[];
  createdAt: number;
  updatedAt: number;
}

function verificationResource(verification: VerificationFields): Record<string, unknown> {
  return {
    sid: verification.sid,
    service_sid: verification.serviceSid,
    account_sid: verification.accountSid,
    to: verification.to,
    channel: verification.channel,
    status: verification.status,
    valid: verification.status === 'approved',
    lookup: {},
    amount: null,
    payee: null,
    send_code_attempts: verification.sendAttempts,
    date_created: iso8601Seconds(verification.createdAt),
    date_updated: iso8601Seconds(verification.updatedAt),
    sna: null,
    url: `https://verify.twilio.com/v2/Services/${verification.serviceSid}/Verifications/${verification.sid}`,
  };
}

/** Verify's VerificationCheck resource: its own fields, not the Verification's. */
function verificationCheckResource(verification: VerificationFields): Record<string, unknown> {
  return {
    sid: verification.sid,
    service_sid: verification.serviceSid,
    account_sid: verification.accountSid,
    to: verification.to,
    channel: verification.channel,
    status: verification.status,
    valid: verification.status === 'approved',
    amount: null,
    payee: null,
    date_created: iso8601Seconds(verification.createdAt),
    date_updated: iso8601Seconds(verification.updatedAt),
    sna_attempts_error_codes: [],
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

export function createTwilioDevServer(options?: TwilioDevServerOptions): TwilioDevServer {
  return new TwilioDevServer(options);
}

export { twilioSid };
