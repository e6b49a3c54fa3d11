import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTwilioDevServer,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type TwilioDevServer,
} from '@strapi-two-factor/twilio-dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmsDeliveryError } from './smsDeliveryError';
import { type TwilioRequest, twilioRequest } from './twilioRequest';

interface Recorded {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A bare HTTP server for answers the Twilio dev server never gives (Retry-After, a proxy's HTML). */
async function startRawServer(
  answer: (response: ServerResponse) => void,
): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests.push({ headers: request.headers, body });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/endpoint`, requests, server };
}

const rawServers: Server[] = [];
async function rawServer(answer: (response: ServerResponse) => void): Promise<{ url: string; requests: Recorded[] }> {
  const started = await startRawServer(answer);
  rawServers.push(started.server);
  return started;
}

function credentials(url: string, form: Record<string, string> = { To: '+14155550123' }): TwilioRequest {
  return { url, form, accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, timeoutMilliseconds: 1000 };
}

async function failure(promise: Promise<unknown>): Promise<SmsDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SmsDeliveryError)) throw new Error(`expected an SmsDeliveryError, got ${String(error)}`);
  return error;
}

describe('twilioRequest', () => {
  let twilio: TwilioDevServer;
  let messagesUrl: string;

  beforeAll(async () => {
    twilio = createTwilioDevServer();
    const base = await twilio.listen(0);
    messagesUrl = `${base}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`;
  });

  afterEach(async () => {
    twilio.reset();
    await Promise.all(rawServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  afterAll(async () => {
    await twilio.close();
  });

  it("should return Twilio's resource on success", async () => {
    const resource = await twilioRequest(
      credentials(messagesUrl, { To: '+14155550123', From: '+15005550006', Body: 'hello' }),
    );
    expect(resource).toMatchObject({ to: '+14155550123', status: 'queued' });
  });

  it('should send a form with HTTP Basic credentials and ask for JSON', async () => {
    const server = await rawServer((response) => {
      response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
    await twilioRequest(credentials(server.url, { To: '+14155550123', Body: 'a b&c' }));
    const [request] = server.requests;
    expect(request?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(request?.body).toBe('To=%2B14155550123&Body=a+b%26c');
  });

  it("should keep Twilio's code, message and HTTP status in the error", async () => {
    const error = await failure(
      twilioRequest(credentials(messagesUrl, { To: 'not-a-number', From: '+15005550006', Body: 'hi' })),
    );
    expect(error).toMatchObject({ reason: 'invalid-phone', twilioCode: 21211 });
    expect(error.message).toContain('HTTP 400 with error 21211');
  });

  it('should keep the form values, number and body alike, out of the error message', async () => {
    const error = await failure(
      twilioRequest(credentials(messagesUrl, { To: '555-0123', From: '+15005550006', Body: '987654 is your code' })),
    );
    expect(error.message).toContain("The 'To' number [To] is not a valid phone number.");
    expect(error.message).not.toContain('555-0123');
    expect(error.message).not.toContain('987654');
  });

  it('should read Retry-After seconds on a rate-limited answer', async () => {
    const server = await rawServer((response) => {
      response
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
        .end(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }));
    });
    const error = await failure(twilioRequest(credentials(server.url)));
    expect(error).toMatchObject({ reason: 'rate-limited', twilioCode: 20429, retryAfterSeconds: 7 });
  });

  it('should read a Retry-After date on a rate-limited answer', async () => {
    const server = await rawServer((response) => {
      response
        .writeHead(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() })
        .end(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }));
    });
    const error = await failure(twilioRequest(credentials(server.url)));
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it('should treat an error page without JSON as unavailable', async () => {
    const server = await rawServer((response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    });
    const error = await failure(twilioRequest(credentials(server.url)));
    expect(error.reason).toBe('unavailable');
    expect(error.twilioCode).toBeUndefined();
  });

  it('should treat a refused connection as unavailable', async () => {
    const server = await startRawServer(() => undefined);
    await new Promise((resolve) => server.server.close(resolve));
    const error = await failure(twilioRequest(credentials(server.url)));
    expect(error.reason).toBe('unavailable');
    expect(error.message).toContain('Could not reach Twilio');
  });
});
