import type { TwoFactorStatus } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolSms, errorCode, signUp, travel, uniquePhone } from '../support/twoFactor';

/** The contract's answer. */
type MeBody = TwoFactorStatus;

describe(`SMS factor enrolment on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { TWO_FACTOR_ALLOWED_COUNTRIES: 'US,CA,FR' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should show two-step verification off for a new user', async () => {
    const user = await signUp(app);
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      enabled: false,
      required: false,
      factors: [],
      recoveryCodesRemaining: 0,
      trustedDevices: [],
    });
  });

  it('should refuse /me without a signed-in user', async () => {
    const me = await app.http.get('/api/two-factor/me');
    expect([401, 403]).toContain(me.status);
  });

  it('should enrol a number: pending after setup, active after the code, listed masked in /me', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    const setup = await app.http.post<{ factorId: number; sentTo: string; expiresAt: string }>(
      '/api/two-factor/sms/setup',
      { phone },
      { jwt: user.jwt },
    );
    expect(setup.status).toBe(200);
    expect(setup.body.sentTo).toBe(`+1 ••• ••• ${phone.slice(-4)}`);
    expect((await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt })).body.enabled).toBe(false);

    const code = await app.sms.lastCode(phone);
    const activate = await app.http.post<{ factor: MeBody['factors'][number] }>(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code },
      { jwt: user.jwt },
    );
    expect(activate.status).toBe(200);
    expect(activate.body.factor).toMatchObject({ id: setup.body.factorId, type: 'sms', sentTo: setup.body.sentTo });
    const me = await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt });
    expect(me.body.enabled).toBe(true);
    expect(me.body.factors).toHaveLength(1);
    expect(JSON.stringify(me.body)).not.toContain(phone);
  });

  it.each([
    ['(415) 555-0123', '+14155550123'],
    ['415 555 0124', '+14155550124'],
    ['+1 415-555-0125', '+14155550125'],
  ])('should normalise %s to %s', async (typed, e164) => {
    const user = await signUp(app);
    const setup = await app.http.post('/api/two-factor/sms/setup', { phone: typed }, { jwt: user.jwt });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    expect((await app.sms.last(e164)).to).toBe(e164);
  });

  it.each([
    ['12345', 'INVALID_PHONE'],
    ['not a number', 'INVALID_PHONE'],
    ['+44 7911 123456', 'COUNTRY_NOT_ALLOWED'],
  ])('should refuse %s with %s', async (phone, code) => {
    const user = await signUp(app);
    const setup = await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(setup.status).toBe(400);
    expect(errorCode(setup)).toBe(code);
  });

  it.each([
    ['+15005550001', 'INVALID_PHONE'],
    ['+15005550009', 'INVALID_PHONE'],
    ['+15005550003', 'COUNTRY_NOT_ALLOWED'],
  ])("should map Twilio's answer for %s to %s and leave the factor pending", async (phone, code) => {
    const user = await signUp(app);
    const setup = await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(setup.status).toBe(400);
    expect(errorCode(setup)).toBe(code);
    expect((await app.http.get<MeBody>('/api/two-factor/me', { jwt: user.jwt })).body.enabled).toBe(false);
  });

  it('should answer PHONE_TAKEN for a number that is active on another account', async () => {
    const owner = await signUp(app);
    const { phone } = await enrolSms(app, owner.jwt);
    const other = await signUp(app);
    const setup = await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: other.jwt });
    expect(setup.status).toBe(400);
    expect(errorCode(setup)).toBe('PHONE_TAKEN');
  });

  it('should let only one of two users who both received codes for one number activate it', async () => {
    const phone = uniquePhone();
    const first = await signUp(app);
    const second = await signUp(app);
    const firstSetup = await app.http.post<{ factorId: number }>(
      '/api/two-factor/sms/setup',
      { phone },
      { jwt: first.jwt },
    );
    const firstCode = await app.sms.lastCode(phone);
    const secondSetup = await app.http.post<{ factorId: number }>(
      '/api/two-factor/sms/setup',
      { phone },
      { jwt: second.jwt },
    );
    const secondCode = await app.sms.lastCode(phone);
    const [a, b] = await Promise.all([
      app.http.post(
        '/api/two-factor/sms/activate',
        { factorId: firstSetup.body.factorId, code: firstCode },
        { jwt: first.jwt },
      ),
      app.http.post(
        '/api/two-factor/sms/activate',
        { factorId: secondSetup.body.factorId, code: secondCode },
        { jwt: second.jwt },
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect(errorCode(a.status === 200 ? b : a)).toBe('PHONE_TAKEN');
  });

  it('should refuse a wrong activation code with INVALID_CODE and an unknown factor with NOT_FOUND', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    const code = await app.sms.lastCode(phone);
    const wrong = await app.http.post(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code: code === '000000' ? '111111' : '000000' },
      { jwt: user.jwt },
    );
    expect(errorCode(wrong)).toBe('INVALID_CODE');
    const other = await signUp(app);
    const notMine = await app.http.post(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code },
      { jwt: other.jwt },
    );
    expect(notMine.status).toBe(404);
    expect(errorCode(notMine)).toBe('NOT_FOUND');
  });

  it('should resend the setup code only after the cooldown', async () => {
    const user = await signUp(app);
    const phone = uniquePhone();
    await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    const early = await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(errorCode(early)).toBe('RESEND_TOO_SOON');
    travel(app, 30);
    const later = await app.http.post('/api/two-factor/sms/setup', { phone }, { jwt: user.jwt });
    expect(later.status).toBe(200);
  });
});
