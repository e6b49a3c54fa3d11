import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '@strapi-two-factor/twilio-dev-server';
import { afterEach, describe, expect, it } from 'vitest';
import { type TwilioRequest, twilioRequest } from './twilioRequest';
import { deliveryError as failure, startBareServer, useTwilioDevServer } from './twilioTestServers.test-support';

interface Recorded {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A bare HTTP server for answers the Twilio dev server never gives (Retry-After, a proxy's HTML). */
async function startRawServer(
  answer: (response: ServerResponse) => void,
): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const { origin, server } = await startBareServer((request, body, response) => {
    requests.push({ headers: request.headers, body });
    answer(response);
  });
  return { url: `${origin}/endpoint`, requests, server };
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

describe('twilioRequest', () => {
  let messagesUrl: string;

  useTwilioDevServer((_twilio, base) => {
    messagesUrl = `${base}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`;
  });

  afterEach(async () => {
    await Promise.all(rawServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
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
