import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newUsername, registerWithPhone } from '../support/phoneSignUp';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { uniquePhone } from '../support/twoFactor';

describe(`phone sign-up with an email on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const smtp = new SmtpInbox();
  const upStore = () => app.strapi.store({ type: 'plugin', name: 'users-permissions' });
  const setEmailConfirmation = async (on: boolean) => {
    const advanced = (await upStore().get({ key: 'advanced' })) as Record<string, unknown>;
    await upStore().set({ key: 'advanced', value: { ...advanced, email_confirmation: on } });
  };
  const confirmedOf = async (username: string) =>
    (
      (await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { username } })) as {
        confirmed: boolean;
      }
    ).confirmed;

  beforeAll(async () => {
    app = await startExampleApp({ env: await smtp.env() });
  });

  beforeEach(async () => {
    await setEmailConfirmation(false);
  });

  afterAll(async () => {
    await app?.stop();
    await smtp.close();
  });

  async function signUp(body: { username: string; phone: string; email?: string; password?: string }) {
    const registered = await registerWithPhone(app, body);
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const verified = await app.http.post<StrapiLoginBody>('/api/two-factor/phone/verify', {
      phone: body.phone,
      code: await app.sms.lastCode(body.phone),
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    return verified.body;
  }

  /** The path and query of the confirmation link in the newest mail to `email` (quoted-printable decoded). */
  function confirmationPath(email: string): string {
    const raw = smtp.messages(email).at(-1)?.raw ?? '';
    const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const link = /https?:\/\/[^\s"<]*\/api\/auth\/email-confirmation\?confirmation=[0-9a-f]+/.exec(text)?.[0];
    if (link === undefined) throw new Error(`No confirmation link mailed to ${email}`);
    const url = new URL(link);
    return `${url.pathname}${url.search}`;
  }

  it("should send Strapi's confirmation mail and leave the email unconfirmed until its link is followed", async () => {
    await setEmailConfirmation(true);
    const username = newUsername();
    const email = `${username}@example.test`;
    const password = 'Phone-sign-up-1';
    const body = await signUp({ username, phone: uniquePhone(), email, password });
    // The phone is proven: the answer still signs the user in.
    expect(body.jwt).toEqual(expect.any(String));
    expect(body.user.confirmed).toBe(false);
    expect(await confirmedOf(username)).toBe(false);
    await expect.poll(() => smtp.messages(email).length).toBe(1);
    // Strapi's own rule for an unconfirmed email: no password sign-in yet.
    const early = await app.http.post('/api/auth/local', { identifier: email, password });
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.body)).toContain('Your account email is not confirmed');

    const followed = await app.http.get(confirmationPath(email));
    expect(followed.status).toBe(302);
    expect(await confirmedOf(username)).toBe(true);
    const later = await app.http.post<StrapiLoginBody>('/api/auth/local', { identifier: email, password });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
  });

  it('should confirm a phone-only user at once with email confirmation on: there is no email to prove', async () => {
    await setEmailConfirmation(true);
    const username = newUsername();
    const body = await signUp({ username, phone: uniquePhone() });
    expect(body.user.confirmed).toBe(true);
    expect(await confirmedOf(username)).toBe(true);
  });

  it('should confirm the user and send no mail when email confirmation is off, as before', async () => {
    const username = newUsername();
    const email = `${username}@example.test`;
    const body = await signUp({ username, phone: uniquePhone(), email });
    expect(body.user.confirmed).toBe(true);
    expect(await confirmedOf(username)).toBe(true);
    await app.strapi.plugin('two-factor').service('email').drain();
    expect(smtp.messages(email)).toHaveLength(0);
  });
});
