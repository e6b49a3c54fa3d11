import type { Server } from 'node:http';
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, type TwilioDevServer } from '@strapi-two-factor/twilio-dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioVerifySender, type TwilioVerifyOptions } from './createTwilioVerifySender';
import type { SmsLogger } from './smsLogger';
import type { SmsSender } from './smsSender';
import { deliveryError, startBareServer, useTwilioDevServer } from './twilioTestServers.test-support';

const VERIFY_SERVICE_SID = `VA${'b'.repeat(32)}`;
const TO = '+14155550123';

function recordingLogger(): SmsLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (line: string): void => {
    lines.push(line);
  };
  return { lines, info: record, warn: record, error: record };
}

describe('createTwilioVerifySender', () => {
  let twilio: TwilioDevServer;
  let verifyBaseUrl: string;

  const sender = (options: Partial<TwilioVerifyOptions> = {}): SmsSender =>
    createTwilioVerifySender({
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      verifyServiceSid: VERIFY_SERVICE_SID,
      verifyBaseUrl,
      requestTimeoutMilliseconds: 1000,
      appName: 'Acme',
      logger: recordingLogger(),
      ...options,
    });

  const sentCode = (to: string): string => {
    const code = twilio.outbox.list(to)[0]?.code;
    if (code === null || code === undefined) throw new Error(`no Verify code was sent to ${to}`);
    return code;
  };

  useTwilioDevServer((server, baseUrl) => {
    twilio = server;
    verifyBaseUrl = baseUrl;
  });

  it('should start a verification that sends Twilio its own code, named after the app', async () => {
    await sender().send({ to: TO, body: 'ignored' });
    expect(twilio.outbox.list(TO)).toEqual([
      expect.objectContaining({
        api: 'verify',
        verifyServiceSid: VERIFY_SERVICE_SID,
        basicAuthUser: DEFAULT_ACCOUNT_SID,
        body: expect.stringContaining('Your Acme verification code is'),
      }),
    ]);
  });

  it('should approve the code Twilio sent', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    await expect(verify.check({ to: TO, code: sentCode(TO) })).resolves.toBe('approved');
  });

  it('should reject a wrong code', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    const wrong = String((Number(sentCode(TO)) + 1) % 1_000_000).padStart(6, '0');
    await expect(verify.check({ to: TO, code: wrong })).resolves.toBe('rejected');
  });

  it('should reject a code that is not 4 to 10 digits', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    await expect(verify.check({ to: TO, code: '12ab56' })).resolves.toBe('rejected');
  });

  it('should reject even the right code once five wrong ones closed the verification (60202)', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    const right = sentCode(TO);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 5; attempt += 1) await verify.check({ to: TO, code: wrong });
    await expect(verify.check({ to: TO, code: right })).resolves.toBe('rejected');
  });

  it('should answer expired when no verification is open', async () => {
    await expect(sender().check({ to: TO, code: '123456' })).resolves.toBe('expired');
  });

  it('should answer expired for a code that was already approved', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    const code = sentCode(TO);
    await verify.check({ to: TO, code });
    await expect(verify.check({ to: TO, code })).resolves.toBe('expired');
  });

  it('should report a geo permission block (60605) as country-not-allowed', async () => {
    const error = await deliveryError(sender().send({ to: '+15005550003', body: '' }));
    expect(error).toMatchObject({ reason: 'country-not-allowed', twilioCode: 60605 });
  });

  it('should report a landline (60205) as invalid-phone', async () => {
    const error = await deliveryError(sender().send({ to: '+15005550009', body: '' }));
    expect(error).toMatchObject({ reason: 'invalid-phone', twilioCode: 60205 });
  });

  it('should report the sixth send in ten minutes (60203) as rate-limited', async () => {
    const verify = sender();
    for (let send = 0; send < 5; send += 1) await verify.send({ to: TO, body: '' });
    const error = await deliveryError(verify.send({ to: TO, body: '' }));
    expect(error).toMatchObject({ reason: 'rate-limited', twilioCode: 60203 });
  });

  it('should report a Twilio outage during a check as unavailable', async () => {
    const verify = sender();
    await verify.send({ to: TO, body: '' });
    twilio.failNext(20503, { api: 'verify' });
    const error = await deliveryError(verify.check({ to: TO, code: sentCode(TO) }));
    expect(error).toMatchObject({ reason: 'unavailable', twilioCode: 20503 });
  });

  describe('on an account without Custom Company Name', () => {
    let server: Server;
    let baseUrl: string;
    const forms: URLSearchParams[] = [];

    beforeAll(async () => {
      // Real Twilio answers 60204 to CustomFriendlyName unless Sales enabled the feature; the
      // dev server accepts it, so this bare server plays that account.
      ({ server, origin: baseUrl } = await startBareServer((_request, body, response) => {
        const form = new URLSearchParams(body);
        forms.push(form);
        const refused = form.has('CustomFriendlyName');
        response.writeHead(refused ? 403 : 201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify(
            refused
              ? { code: 60204, message: 'Service does not support this feature', status: 403 }
              : { sid: `VE${'c'.repeat(32)}`, status: 'pending' },
          ),
        );
      }));
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('should send without CustomFriendlyName from then on and say so once', async () => {
      const logger = recordingLogger();
      const verify = sender({ verifyBaseUrl: baseUrl, logger });
      await verify.send({ to: TO, body: '' });
      await verify.send({ to: TO, body: '' });
      expect(forms.map((form) => form.has('CustomFriendlyName'))).toEqual([true, false, false]);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toContain('60204');
    });
  });
});
