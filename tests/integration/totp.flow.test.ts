import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { authenticatorCode, decodeBase32, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp, type TotpSetupBody } from '../support/totpEnrolment';
import { type ChallengeBody, errorCode, signUp, startLogin } from '../support/twoFactor';

const VERIFY = '/api/two-factor/challenge/verify';

describe(`authenticator apps on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const logged: string[] = [];

  beforeAll(async () => {
    app = await startExampleApp();
    // Record everything the app logs from now on, to check no secret ever reaches a log.
    for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug'] as const) {
      const original = app.strapi.log[level].bind(app.strapi.log);
      app.strapi.log[level] = ((message: unknown, ...rest: unknown[]) => {
        logged.push(JSON.stringify([message, ...rest]));
        return original(message as string, ...rest);
      }) as typeof original;
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function loginWithTotp(user: { username: string; password: string }, code: string) {
    const step1 = await startLogin(app, user);
    expect(step1.status).toBe(200);
    return app.http.post<StrapiLoginBody>(VERIFY, { token: step1.body.challenge.token, method: 'totp', code });
  }

  it('should set up a 160-bit secret with an otpauth URI and a QR code', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setup.body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Example:${user.email}`);
    // SHA1, 6 digits and 30 s are the Key URI format's defaults: otplib leaves them out.
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: setup.body.secret, issuer: 'Example' });
    expect(setup.body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('should activate with a code computed from the secret and return 10 recovery codes once', async () => {
    const user = await signUp(app);
    const enrolled = await enrolTotp(app, user.jwt);
    expect(enrolled.recoveryCodes).toHaveLength(10);
    for (const code of enrolled.recoveryCodes ?? [])
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const me = await app.http.get<{ enabled: boolean; factors: { type: string }[]; recoveryCodesRemaining: number }>(
      '/api/two-factor/me',
      { jwt: user.jwt },
    );
    expect(me.body).toMatchObject({ enabled: true, recoveryCodesRemaining: 10 });
    expect(me.body.factors.map((f) => f.type)).toEqual(['totp']);
    expect(JSON.stringify(me.body)).not.toContain(enrolled.secret);
  });

  it('should refuse activation with a wrong code', async () => {
    const user = await signUp(app);
    const setup = await app.http.post<TotpSetupBody>('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
    moveToMidStep(app);
    const code = authenticatorCode(setup.body.secret, pluginStep(app) + 5);
    const activate = await app.http.post(
      '/api/two-factor/totp/activate',
      { factorId: setup.body.factorId, code },
      { jwt: user.jwt },
    );
    expect(errorCode(activate)).toBe('INVALID_CODE');
  });

  it('should sign in with the app: step 1 offers totp and sends no SMS', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge).toMatchObject({ method: 'totp', methods: ['totp', 'recovery_code'] });
    expect(step1.body.challenge).not.toHaveProperty('sentTo');
    const verify = await app.http.post<StrapiLoginBody>(VERIFY, {
      token: step1.body.challenge.token,
      method: 'totp',
      code: authenticatorCode(secret, pluginStep(app)),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    expect(verify.body.jwt).toEqual(expect.any(String));
  });

  it('should refuse the same code a second time in the same step', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const code = authenticatorCode(secret, pluginStep(app));
    expect((await loginWithTotp(user, code)).status).toBe(200);
    const replay = await loginWithTotp(user, code);
    expect(replay.status).toBe(400);
    expect(errorCode(replay)).toBe('INVALID_CODE');
  });

  it('should give exactly one of 10 parallel sign-ins with one code a token', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    const challenges = await Promise.all(Array.from({ length: 10 }, () => startLogin(app, user)));
    const code = authenticatorCode(secret, pluginStep(app));
    const results = await Promise.all(
      challenges.map((c) => app.http.post(VERIFY, { token: c.body.challenge.token, method: 'totp', code })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('should accept the previous and next step and refuse two steps away (clock moved, not slept)', async () => {
    const user = await signUp(app);
    const { secret } = await enrolTotp(app, user.jwt);
    moveToMidStep(app, 3);
    const now = pluginStep(app);
    expect((await loginWithTotp(user, authenticatorCode(secret, now - 1))).status).toBe(200);
    expect((await loginWithTotp(user, authenticatorCode(secret, now + 1))).status).toBe(200);
    moveToMidStep(app, 5);
    const later = pluginStep(app);
    expect(errorCode(await loginWithTotp(user, authenticatorCode(secret, later - 2)))).toBe('INVALID_CODE');
    expect(errorCode(await loginWithTotp(user, authenticatorCode(secret, later + 2)))).toBe('INVALID_CODE');
    expect((await loginWithTotp(user, authenticatorCode(secret, later))).status).toBe(200);
  });

  it('should keep the secret encrypted in the database and out of every log', async () => {
    const user = await signUp(app);
    const { secret, factorId } = await enrolTotp(app, user.jwt);
    const row = (await app.strapi.db.query('plugin::two-factor.factor').findOne({ where: { id: factorId } })) as {
      secretCiphertext: string;
    };
    expect(row.secretCiphertext).toMatch(/^v1\./);
    // The key itself, in every spelling it could be stored or logged in.
    const key = decodeBase32(secret);
    expect(key).toHaveLength(20);
    const spellings = [
      secret.replace(/=+$/, ''),
      key.toString('hex'),
      key.toString('base64').replace(/=+$/, ''),
      key.toString('base64url'),
    ];
    const stored = JSON.stringify(row);
    const log = logged.join('\n');
    for (const spelling of spellings) {
      expect(stored.toLowerCase()).not.toContain(spelling.toLowerCase());
      expect(log.toLowerCase()).not.toContain(spelling.toLowerCase());
    }
  });

  it('should remember the preferred method and let the user switch to SMS', async () => {
    const user = await signUp(app);
    const { enrolSms, smsReauthentication, uniquePhone, waitForSms } = await import('../support/twoFactor');
    const phone = uniquePhone();
    await enrolSms(app, user.jwt, phone);
    const { secret } = await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, phone));
    const step1 = await startLogin(app, user);
    expect(step1.body.challenge.methods).toEqual(['sms', 'totp', 'recovery_code']);
    // Nothing chosen yet: the strongest method, so no SMS is spent (issue 11).
    expect(step1.body.challenge.method).toBe('totp');
    const sent = (await app.sms.messages(phone)).length;

    const switched = await app.http.post<ChallengeBody>('/api/two-factor/challenge/send', {
      token: step1.body.challenge.token,
      method: 'sms',
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    await waitForSms(app, phone, sent + 1);
    const smsCode = await app.sms.lastCode(phone);
    expect(
      (await app.http.post(VERIFY, { token: step1.body.challenge.token, method: 'sms', code: smsCode })).status,
    ).toBe(200);

    // Remembered: the next sign-in starts with SMS; the app is still offered.
    const next = await startLogin(app, user);
    expect(next.body.challenge).toMatchObject({ method: 'sms', methods: ['sms', 'totp', 'recovery_code'] });
    const code = authenticatorCode(secret, pluginStep(app));
    expect((await app.http.post(VERIFY, { token: next.body.challenge.token, method: 'totp', code })).status).toBe(200);
  });
});

describe(`authenticator apps without an encryption key on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { ENCRYPTION_KEY: '', TWO_FACTOR_ENCRYPTION_KEY: '' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should refuse TOTP setup with ENCRYPTION_KEY_MISSING', async () => {
    const user = await signUp(app);
    const setup = await app.http.post('/api/two-factor/totp/setup', {}, { jwt: user.jwt });
    expect(setup.status).toBe(400);
    expect(errorCode(setup)).toBe('ENCRYPTION_KEY_MISSING');
  });
});
