import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioDevServer, type TwilioDevServer } from './createTwilioDevServer';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'secret-token';
const VERIFY_SERVICE_SID = `VA${'b'.repeat(32)}`;
const MESSAGING_SERVICE_SID = `MG${'c'.repeat(32)}`;
/** A fixed clock: every date the server writes is this instant, to the second. */
const NOW = Date.UTC(2026, 0, 15, 9, 30, 45, 678);
const NOW_TO_THE_SECOND = new Date(Date.UTC(2026, 0, 15, 9, 30, 45));

/**
 * The dev server driven by Twilio's official Node SDK, as a real app would call Twilio.
 * The SDK has no base-URL option; each domain's `baseUrl` is the supported seam
 * (twilio-node `Domain.absoluteUrl`), and both point at loopback.
 */
describe('Twilio dev server through the official twilio SDK', () => {
  let server: TwilioDevServer;
  let client: twilio.Twilio;
  let baseUrl: string;

  beforeAll(async () => {
    server = createTwilioDevServer({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, now: () => NOW });
    baseUrl = await server.listen();
    // No edge or region: they rewrite host names and would ignore a developer's TWILIO_EDGE.
    client = twilio(ACCOUNT_SID, AUTH_TOKEN, { edge: undefined, region: undefined, autoRetry: false });
    client.api.baseUrl = baseUrl;
    client.verify.baseUrl = baseUrl;
  });

  beforeEach(() => {
    server.reset();
  });

  afterAll(async () => {
    await server?.close();
  });

  /** The raw JSON of the SDK's last answer, to check the wire format the SDK parsed. */
  function lastBody(): Record<string, unknown> {
    const body: unknown = client.httpClient.lastResponse?.body;
    return (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
  }

  /** What the SDK threw: its own RestException, or the test fails. */
  async function restException(call: () => Promise<unknown>): Promise<twilio.RestException> {
    try {
      await call();
    } catch (error) {
      if (error instanceof twilio.RestException) return error;
      throw error;
    }
    throw new Error('Expected the SDK to throw');
  }

  it('should send every request to the loopback server and nowhere else', async () => {
    await client.messages.create({ to: '+14155550100', from: '+15005550006', body: 'hi' });
    expect(client.httpClient.lastRequest?.url.startsWith(`${baseUrl}/2010-04-01/`)).toBe(true);
    expect(server.outbox.list('+14155550100')).toHaveLength(1);
  });

  it('should create a message from a number, with RFC 2822 dates the SDK parses', async () => {
    const message = await client.messages.create({ to: '+14155550100', from: '+15005550006', body: 'Code 123456' });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ to: '+14155550100', from: '+15005550006', status: 'queued', numSegments: '1' });
    expect(message.dateCreated).toEqual(NOW_TO_THE_SECOND);
    expect(message.dateUpdated).toEqual(NOW_TO_THE_SECOND);
    expect(message.dateSent).toBeNull();
    expect(lastBody().date_created).toBe('Thu, 15 Jan 2026 09:30:45 +0000');
    expect(lastBody().date_updated).toBe('Thu, 15 Jan 2026 09:30:45 +0000');
  });

  it('should accept a message through a Messaging Service with no segments counted yet', async () => {
    const message = await client.messages.create({
      to: '+14155550100',
      messagingServiceSid: MESSAGING_SERVICE_SID,
      body: 'Code 123456',
    });
    expect(message).toMatchObject({
      messagingServiceSid: MESSAGING_SERVICE_SID,
      from: null,
      status: 'accepted',
      numSegments: '0',
    });
    expect(message.dateCreated).toEqual(NOW_TO_THE_SECOND);
  });

  it.each([
    [
      '+15005550001',
      21212,
      400,
      "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID.",
    ],
    [
      '+15005550007',
      21606,
      400,
      'The From phone number +15005550007 is not a valid, SMS-capable inbound phone number or short code for your account.',
    ],
    ['+15005550008', 21611, 429, 'SMS queue is full.'],
  ])('should refuse the magic From number %s with RestException %i (HTTP %i)', async (from, code, status, message) => {
    const error = await restException(() => client.messages.create({ to: '+14155550100', from, body: 'hi' }));
    expect(error).toMatchObject({ code, status, message });
    expect(error.moreInfo).toBe(`https://www.twilio.com/docs/errors/${code}`);
    expect(lastBody()).toEqual({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    expect(server.outbox.list()).toHaveLength(0);
  });

  it('should surface a magic To number as a RestException with its code and status', async () => {
    const error = await restException(() =>
      client.messages.create({ to: '+15005550001', from: '+15005550006', body: 'hi' }),
    );
    expect(error).toMatchObject({ code: 21211, status: 400 });
  });

  it('should surface wrong credentials as RestException 20003 (HTTP 401)', async () => {
    const stranger = twilio(ACCOUNT_SID, 'wrong-token', { autoRetry: false });
    stranger.api.baseUrl = baseUrl;
    const error = await restException(() =>
      stranger.messages.create({ to: '+14155550100', from: '+15005550006', body: 'hi' }),
    );
    expect(error).toMatchObject({ code: 20003, status: 401 });
  });

  it('should start a verification with ISO 8601 dates to the second', async () => {
    const verification = await client.verify.v2
      .services(VERIFY_SERVICE_SID)
      .verifications.create({ to: '+14155550100', channel: 'sms' });
    expect(verification).toMatchObject({ to: '+14155550100', channel: 'sms', status: 'pending', valid: false });
    expect(verification.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect(verification.dateCreated).toEqual(NOW_TO_THE_SECOND);
    expect(lastBody().date_created).toBe('2026-01-15T09:30:45Z');
    expect(lastBody().date_updated).toBe('2026-01-15T09:30:45Z');
    expect(verification.sendCodeAttempts).toEqual([
      { attempt_sid: expect.stringMatching(/^VL/), channel: 'sms', time: '2026-01-15T09:30:45Z' },
    ]);
  });

  it("should check a code with the VerificationCheck resource's own fields", async () => {
    await client.verify.v2.services(VERIFY_SERVICE_SID).verifications.create({ to: '+14155550100', channel: 'sms' });
    const code = server.outbox.list('+14155550100')[0]?.code ?? '';
    const wrong = code === '000000' ? '111111' : '000000';

    const pending = await client.verify.v2
      .services(VERIFY_SERVICE_SID)
      .verificationChecks.create({ to: '+14155550100', code: wrong });
    expect(pending).toMatchObject({ status: 'pending', valid: false });

    const approved = await client.verify.v2
      .services(VERIFY_SERVICE_SID)
      .verificationChecks.create({ to: '+14155550100', code });
    expect(approved).toMatchObject({
      serviceSid: VERIFY_SERVICE_SID,
      accountSid: ACCOUNT_SID,
      to: '+14155550100',
      channel: 'sms',
      status: 'approved',
      valid: true,
      snaAttemptsErrorCodes: [],
    });
    expect(approved.dateCreated).toEqual(NOW_TO_THE_SECOND);
    expect(Object.keys(lastBody()).sort()).toEqual(
      [
        'account_sid',
        'amount',
        'channel',
        'date_created',
        'date_updated',
        'payee',
        'service_sid',
        'sid',
        'sna_attempts_error_codes',
        'status',
        'to',
        'valid',
      ].sort(),
    );
  });

  it('should surface a check with no open verification as RestException 20404', async () => {
    const error = await restException(() =>
      client.verify.v2.services(VERIFY_SERVICE_SID).verificationChecks.create({ to: '+14155550199', code: '123456' }),
    );
    expect(error).toMatchObject({ code: 20404, status: 404 });
  });
});
