import {
  databaseUnderTest,
  type ExampleApp,
  type HttpResponse,
  SmtpInbox,
  startExampleApp,
} from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { newUser } from '../support/users';

const FORGOT = '/api/auth/forgot-password';

/** The reset token in a reset mail (quoted-printable: soft line breaks and `=3D` undone). */
function resetToken(raw: string): string {
  const decoded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const token = /code=([0-9a-f]{128})/.exec(decoded)?.[1];
  if (token === undefined) throw new Error('No reset token in the mail');
  return token;
}

/** What a client can compare between two answers: status, body and the names of the headers. */
function visible(response: HttpResponse<unknown>) {
  const names: string[] = [];
  response.headers.forEach((_value, name) => {
    if (!['date', 'x-response-time'].includes(name)) names.push(name);
  });
  names.sort();
  return { status: response.status, body: response.body, headers: names };
}

// Strapi answers an unknown address at once and a known one after writing the reset token and
// handing the mail to the SMTP server (a dead one makes it a 500): the plugin answers first.
// The timing itself is measured by `npm run bench`, never asserted here.
describe(`forgot-password answers alike for every address on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();
  let smtpClosed = false;

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  afterAll(async () => {
    await app?.stop();
    if (!smtpClosed) await smtp.close();
  });

  async function mailTo(email: string): Promise<string> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const mail = smtp.messages(email)[0];
      if (mail !== undefined) return mail.raw;
      if (Date.now() > deadline) throw new Error(`No reset mail reached ${email}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('should mail a known address a reset that works, and answer an unknown one the same', async () => {
    const user = newUser('forgot');
    expect((await app.http.post('/api/auth/local/register', user)).status).toBe(200);

    const known = await app.http.post(FORGOT, { email: user.email });
    const unknown = await app.http.post(FORGOT, { email: `nobody.${Date.now()}@example.test` });
    expect(visible(known)).toEqual({ ...visible(unknown), status: 200, body: { ok: true } });

    const code = resetToken(await mailTo(user.email));
    const password = 'New-passw0rd-1';
    const reset = await app.http.post<StrapiLoginBody>('/api/auth/reset-password', {
      code,
      password,
      passwordConfirmation: password,
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    const login = await app.http.post<StrapiLoginBody>('/api/auth/local', { identifier: user.email, password });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe(user.email);
    expect(smtp.messages().filter((mail) => mail.to.some((to) => to.startsWith('nobody.')))).toEqual([]);
  });

  it('should answer known and unknown addresses no sooner than 25 ms after the request began', async () => {
    const user = newUser('forgot-floor');
    expect((await app.http.post('/api/auth/local/register', user)).status).toBe(200);
    for (const email of [user.email, `nobody.${Date.now()}@example.test`]) {
      const at = performance.now();
      const answer = await app.http.post(FORGOT, { email });
      expect(answer.status).toBe(200);
      // Date.now() counts whole milliseconds: the floor is met to within one.
      expect(performance.now() - at).toBeGreaterThanOrEqual(24);
    }
    await mailTo(user.email);
  });

  it("should refuse a malformed address with Strapi's validation error and mail no one", async () => {
    const before = smtp.messages().length;
    for (const body of [{ email: 'not-an-address' }, {}, { email: 'a@example.test', extra: 1 }]) {
      const refused = await app.http.post<{ error: { status: number; name: string } }>(FORGOT, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.name).toBe('ValidationError');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages()).toHaveLength(before);
  });

  it('should answer a known address the same when the mail server is down', async () => {
    const user = newUser('forgotdown');
    expect((await app.http.post('/api/auth/local/register', user)).status).toBe(200);
    await smtp.close();
    smtpClosed = true;
    const known = await app.http.post(FORGOT, { email: user.email });
    const unknown = await app.http.post(FORGOT, { email: `nobody.${Date.now()}@example.test` });
    expect(visible(known)).toEqual({ ...visible(unknown), status: 200, body: { ok: true } });
  });
});
