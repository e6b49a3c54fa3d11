/**
 * Servers the Twilio senders' unit tests talk to. Not a test file (vitest collects `*.test.ts`),
 * and imported by tests only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioDevServer, type TwilioDevServer } from '@strapi-two-factor/twilio-dev-server';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { SmsDeliveryError } from './smsDeliveryError';

/**
 * A Twilio dev server for the `describe` block that calls this: started on a free port before
 * its tests (`started` gets it and its base URL), emptied after each test, closed after all.
 */
export function useTwilioDevServer(started: (twilio: TwilioDevServer, baseUrl: string) => void): void {
  let twilio: TwilioDevServer | undefined;

  beforeAll(async () => {
    twilio = createTwilioDevServer();
    started(twilio, await twilio.listen(0));
  });

  afterEach(() => {
    twilio?.reset();
  });

  afterAll(async () => {
    await twilio?.close();
  });
}

/**
 * A bare HTTP server on 127.0.0.1, for answers the Twilio dev server never gives: `answer` gets
 * each request once its body has arrived.
 */
export async function startBareServer(
  answer: (request: IncomingMessage, body: string, response: ServerResponse) => void,
): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      answer(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** What `promise` rejected with, which must be an SmsDeliveryError. */
export async function deliveryError(promise: Promise<unknown>): Promise<SmsDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SmsDeliveryError)) throw new Error(`expected an SmsDeliveryError, got ${String(error)}`);
  return error;
}
