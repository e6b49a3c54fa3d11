import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, type TwilioDevServer } from '@strapi-two-factor/twilio-dev-server';
import { describe, expect, it } from 'vitest';
import { createTwilioMessagingSender, type TwilioMessagingOptions } from './createTwilioMessagingSender';
import { SmsCheckNotSupportedError } from './smsCheckNotSupportedError';
import type { SmsSender } from './smsSender';
import { deliveryError, useTwilioDevServer } from './twilioTestServers.test-support';

const FROM = '+15005550006';
const TO = '+14155550123';
const BODY = '123456 is your Acme verification code. It expires in 5 minutes.';
const MESSAGING_SERVICE_SID = `MG${'a'.repeat(32)}`;

describe('createTwilioMessagingSender', () => {
  let twilio: TwilioDevServer;
  let apiBaseUrl: string;

  const sender = (options: Partial<TwilioMessagingOptions> = {}): SmsSender =>
    createTwilioMessagingSender({
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      from: FROM,
      apiBaseUrl,
      requestTimeoutMilliseconds: 1000,
      ...options,
    } as TwilioMessagingOptions);

  useTwilioDevServer((server, baseUrl) => {
    twilio = server;
    apiBaseUrl = baseUrl;
  });

  it('should deliver the SMS to the outbox with its number, sender, text and Basic auth user', async () => {
    await sender().send({ to: TO, body: BODY });
    expect(twilio.outbox.list(TO)).toEqual([
      expect.objectContaining({
        api: 'messages',
        to: TO,
        from: FROM,
        messagingServiceSid: null,
        body: BODY,
        basicAuthUser: DEFAULT_ACCOUNT_SID,
      }),
    ]);
  });

  it('should send through the Messaging Service instead of From when one is configured', async () => {
    await sender({ messagingServiceSid: MESSAGING_SERVICE_SID }).send({ to: TO, body: BODY });
    expect(twilio.outbox.list(TO)).toEqual([
      expect.objectContaining({ from: null, messagingServiceSid: MESSAGING_SERVICE_SID }),
    ]);
  });

  it('should report a wrong auth token as unavailable with Twilio error 20003', async () => {
    const error = await deliveryError(sender({ authToken: 'wrong' }).send({ to: TO, body: BODY }));
    expect(error).toMatchObject({ reason: 'unavailable', twilioCode: 20003 });
  });

  it('should report an invalid number as invalid-phone with Twilio error 21211', async () => {
    const error = await deliveryError(sender().send({ to: '+15005550001', body: BODY }));
    expect(error).toMatchObject({ reason: 'invalid-phone', twilioCode: 21211 });
  });

  it('should report a region without Geo Permission as country-not-allowed', async () => {
    const error = await deliveryError(sender().send({ to: '+15005550003', body: BODY }));
    expect(error).toMatchObject({ reason: 'country-not-allowed', twilioCode: 21408 });
  });

  it("should report Twilio's 20429 as rate-limited", async () => {
    twilio.failNext(20429, { api: 'messages' });
    const error = await deliveryError(sender().send({ to: TO, body: BODY }));
    expect(error).toMatchObject({ reason: 'rate-limited', twilioCode: 20429 });
  });

  it("should report Twilio's 20503 as unavailable", async () => {
    twilio.failNext(20503, { api: 'messages' });
    const error = await deliveryError(sender().send({ to: TO, body: BODY }));
    expect(error).toMatchObject({ reason: 'unavailable', twilioCode: 20503 });
  });

  it('should give up as unavailable when Twilio answers later than the timeout', async () => {
    twilio.setDelay(3000);
    const error = await deliveryError(sender({ requestTimeoutMilliseconds: 1000 }).send({ to: TO, body: BODY }));
    expect(error.reason).toBe('unavailable');
  });

  it('should keep the SMS body out of the error message', async () => {
    const error = await deliveryError(sender().send({ to: '+15005550009', body: BODY }));
    expect(error.message).not.toContain('123456');
  });

  it('should refuse to check a code', async () => {
    await expect(sender().check({ to: TO, code: '123456' })).rejects.toThrow(SmsCheckNotSupportedError);
  });
});
