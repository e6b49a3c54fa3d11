#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createTwilioDevServer, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from './createTwilioDevServer';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.TWILIO_DEV_SERVER_PORT ?? '4010' },
    host: { type: 'string', default: process.env.TWILIO_DEV_SERVER_HOST ?? '127.0.0.1' },
    'account-sid': { type: 'string', default: process.env.TWILIO_ACCOUNT_SID ?? DEFAULT_ACCOUNT_SID },
    'auth-token': { type: 'string', default: process.env.TWILIO_AUTH_TOKEN ?? DEFAULT_AUTH_TOKEN },
  },
});

async function main(): Promise<void> {
  const server = createTwilioDevServer({ accountSid: values['account-sid'], authToken: values['auth-token'] });
  const url = await server.listen(Number(values.port), values.host);
  process.stdout.write(`Twilio-compatible dev server on ${url} (outbox page: ${url}/)\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
