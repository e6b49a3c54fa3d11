import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioDevServer, type TwilioDevServer } from './createTwilioDevServer';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'secret-token';
const VERIFY_SERVICE_SID = `VA${'b'.repeat(32)}`;
const MESSAGING_SERVICE_SID = `MG${'c'.repeat(32)}`;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('Twilio-compatible dev server', () => {
  let server: TwilioDevServer;
  let baseUrl: string;

  beforeEach(async () => {
    server = createTwilioDevServer({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    baseUrl = await server.listen();
  });

  afterEach(async () => {
    await server.close();
  });

  async function post(
    path: string,
    form: Record<string, string>,
    credentials = `${ACCOUNT_SID}:${AUTH_TOKEN}`,
  ): Promise<Answer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  const sendSms = (form: Record<string, string>, credentials?: string): Promise<Answer> =>
    post(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, form, credentials);
  const startVerification = (form: Record<string, string>): Promise<Answer> =>
    post(`/v2/Services/${VERIFY_SERVICE_SID}/Verifications`, form);
  const checkVerification = (form: Record<string, string>): Promise<Answer> =>
    post(`/v2/Services/${VERIFY_SERVICE_SID}/VerificationCheck`, form);

  describe('Programmable Messaging', () => {
    it('should accept a valid message with 201, a Message resource and an outbox entry', async () => {
      const answer = await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'Your code is 123456' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        account_sid: ACCOUNT_SID,
        to: '+14155550100',
        from: '+15005550006',
        body: 'Your code is 123456',
        status: 'queued',
        error_code: null,
      });
      expect(answer.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
      const [message] = server.outbox.list('+14155550100');
      expect(message).toMatchObject({ body: 'Your code is 123456', basicAuthUser: ACCOUNT_SID, from: '+15005550006' });
    });

    it('should accept a MessagingServiceSid instead of From', async () => {
      const answer = await sendSms({ To: '+14155550100', MessagingServiceSid: MESSAGING_SERVICE_SID, Body: 'hi' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        messaging_service_sid: MESSAGING_SERVICE_SID,
        from: null,
        status: 'accepted',
      });
    });

    it("should refuse a wrong auth token with Twilio's 20003 body and a Basic challenge", async () => {
      const answer = await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'hi' }, `${ACCOUNT_SID}:wrong`);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
      expect(server.outbox.list()).toHaveLength(0);
    });

    it('should refuse credentials of another account than the one in the path', async () => {
      const other = `AC${'d'.repeat(32)}`;
      const answer = await post(`/2010-04-01/Accounts/${other}/Messages.json`, {
        To: '+14155550100',
        From: '+15005550006',
        Body: 'hi',
      });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe(20003);
    });

    it("should answer a malformed To with Twilio's 21211 body", async () => {
      const answer = await sendSms({ To: '555-0100', From: '+15005550006', Body: 'hi' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 21211,
        message: "The 'To' number 555-0100 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      });
    });

    it.each([
      [{ From: '+15005550006', Body: 'hi' }, 21604],
      [{ To: '+14155550100', Body: 'hi' }, 21603],
      [{ To: '+14155550100', From: '+15005550006' }, 21602],
      [{ To: '+14155550100', From: '+15005550006', Body: 'x'.repeat(1601) }, 21617],
      [{ To: '+14155550100', From: 'not a number!', Body: 'hi' }, 21606],
    ])('should validate the form like Twilio: %o gives %i', async (form, code) => {
      const answer = await sendSms(form);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(code);
    });

    it.each([
      ['+15005550001', 21211],
      ['+15005550002', 21612],
      ['+15005550003', 21408],
      ['+15005550004', 21610],
      ['+15005550009', 21614],
    ])("should fail Twilio's magic test number %s with %i", async (to, code) => {
      const answer = await sendSms({ To: to, From: '+15005550006', Body: 'hi' });
      expect(answer.body.code).toBe(code);
    });

    it('should treat a body that is not form-encoded as missing parameters', async () => {
      const response = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ To: '+14155550100', From: '+15005550006', Body: 'hi' }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: number }).code).toBe(21604);
    });
  });

  describe('Verify v2', () => {
    it('should start a verification, send a 6-digit code and approve it once', async () => {
      const started = await startVerification({ To: '+14155550100', Channel: 'sms' });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ to: '+14155550100', channel: 'sms', status: 'pending', valid: false });
      expect(started.body.sid).toMatch(/^VE[0-9a-f]{32}$/);
      const [message] = server.outbox.list('+14155550100');
      expect(message?.code).toMatch(/^\d{6}$/);

      const checked = await checkVerification({ To: '+14155550100', Code: message?.code ?? '' });
      expect(checked.status).toBe(200);
      expect(checked.body).toMatchObject({ status: 'approved', valid: true });

      const again = await checkVerification({ To: '+14155550100', Code: message?.code ?? '' });
      expect(again.status).toBe(404);
      expect(again.body.code).toBe(20404);
    });

    it('should answer a wrong code with 200 and status pending, then 60202 after five', async () => {
      await startVerification({ To: '+14155550100', Channel: 'sms' });
      const code = server.outbox.list('+14155550100')[0]?.code;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const answer = await checkVerification({ To: '+14155550100', Code: wrong });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ status: 'pending', valid: false });
      }
      const sixth = await checkVerification({ To: '+14155550100', Code: code ?? '' });
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe(60202);
    });

    it('should resend the same code and refuse the sixth send with 60203', async () => {
      for (let send = 0; send < 5; send += 1) {
        expect((await startVerification({ To: '+14155550100', Channel: 'sms' })).status).toBe(201);
      }
      const codes = new Set(server.outbox.list('+14155550100').map((m) => m.code));
      expect(codes.size).toBe(1);
      const sixth = await startVerification({ To: '+14155550100', Channel: 'sms' });
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe(60203);
    });

    it('should refuse a bad To or Channel with 60200', async () => {
      expect((await startVerification({ To: 'nope', Channel: 'sms' })).body.code).toBe(60200);
      expect((await startVerification({ To: '+14155550100', Channel: 'pigeon' })).body.code).toBe(60200);
    });

    it('should answer 20404 for a check with no open verification', async () => {
      const answer = await checkVerification({ To: '+14155550199', Code: '123456' });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe(20404);
    });
  });

  describe('control API', () => {
    it('should fail the next request with an injected error code, then recover', async () => {
      const injected = await fetch(`${baseUrl}/__dev/faults`, {
        method: 'POST',
        body: JSON.stringify({ code: 20503, api: 'messages' }),
      });
      expect(injected.status).toBe(200);
      const failed = await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'hi' });
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: 20503, status: 503 });
      const recovered = await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'hi' });
      expect(recovered.status).toBe(201);
    });

    it('should hold answers back for the configured delay', async () => {
      server.setDelay(300);
      const started = performance.now();
      await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'hi' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('should list, filter and clear the outbox over HTTP', async () => {
      await sendSms({ To: '+14155550100', From: '+15005550006', Body: 'one' });
      await sendSms({ To: '+14155550101', From: '+15005550006', Body: 'two' });
      const filtered = (await (await fetch(`${baseUrl}/__dev/messages?to=%2B14155550101`)).json()) as {
        messages: { body: string }[];
      };
      expect(filtered.messages.map((m) => m.body)).toEqual(['two']);
      await fetch(`${baseUrl}/__dev/messages`, { method: 'DELETE' });
      expect(server.outbox.list()).toHaveLength(0);
    });

    it('should show received messages on its HTML page, escaped', async () => {
      await sendSms({ To: '+14155550100', From: '+15005550006', Body: '<b>123456</b> is your code' });
      const page = await fetch(`${baseUrl}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('+14155550100');
      expect(html).toContain('&#60;b&#62;123456&#60;/b&#62; is your code');
    });
  });
});
