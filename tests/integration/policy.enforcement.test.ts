import type { EnrollmentAnswer } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { enrolTotp } from '../support/totpEnrolment';
import { type ChallengeBody, enrolSms, errorCode, signUp, uniquePhone, userWithSmsFactor } from '../support/twoFactor';

/** The contract's answer. */
type EnrolmentBody = EnrollmentAnswer;

describe(`policy enforcement on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const settings = () => app.strapi.plugin('two-factor').service('settings');
  const setPolicy = async (patch: Record<string, unknown>) =>
    settings().updatePolicy({ ...settings().policy(), ...patch }, 'test');

  beforeAll(async () => {
    app = await startExampleApp();
  });

  beforeEach(async () => {
    await setPolicy({ mode: 'optional', requiredRoles: [], allowedMethods: ['sms', 'totp', 'email'] });
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function loginWithTotp(user: { username: string; password: string }, secret: string): Promise<StrapiLoginBody> {
    const step1 = await app.http.post<ChallengeBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    expect(step1.body.challenge.methods).toContain('totp');
    moveToMidStep(app);
    const verify = await app.http.post<StrapiLoginBody>('/api/two-factor/challenge/verify', {
      token: step1.body.challenge.token,
      method: 'totp',
      code: authenticatorCode(secret, pluginStep(app)),
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    return verify.body;
  }

  const login = (user: { username: string; password: string }) =>
    app.http.post<EnrolmentBody & StrapiLoginBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });

  it('should answer a user of a required role without a factor with an enrolment-only login', async () => {
    const user = await signUp(app);
    await setPolicy({ requiredRoles: ['authenticated'] });
    const step1 = await login(user);
    expect(step1.status).toBe(200);
    expect(Object.keys(step1.body)).toEqual(['mfaEnrollmentRequired', 'enrollment']);
    expect(step1.body.enrollment.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(step1.setCookies.filter((c) => c.startsWith('strapi_up_refresh='))).toEqual([]);
  });

  it('should accept the enrolment token on the enrolment routes only', async () => {
    const user = await signUp(app);
    await setPolicy({ requiredRoles: ['authenticated'] });
    const { token } = (await login(user)).body.enrollment;
    expect((await app.http.get('/api/users/me', { jwt: token })).status).toBe(401);
    expect(
      (
        await app.http.post(
          '/api/two-factor/recovery-codes/regenerate',
          { method: 'totp', code: '123456' },
          { jwt: token },
        )
      ).status,
    ).toBe(401);
    const me = await app.http.get<{ enabled: boolean; required: boolean }>('/api/two-factor/me', { jwt: token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ enabled: false, required: true });
  });

  it('should turn the enrolment into a full login when the factor is activated', async () => {
    const user = await signUp(app);
    await setPolicy({ requiredRoles: ['authenticated'] });
    const { token } = (await login(user)).body.enrollment;
    const phone = uniquePhone();
    const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, { jwt: token });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const activate = await app.http.post<StrapiLoginBody & { factor: { type: string }; recoveryCodes: string[] }>(
      '/api/two-factor/sms/activate',
      { factorId: setup.body.factorId, code: await app.sms.lastCode(phone) },
      { jwt: token },
    );
    expect(activate.status, JSON.stringify(activate.body)).toBe(200);
    expect(activate.body.factor.type).toBe('sms');
    expect(activate.body.recoveryCodes).toHaveLength(10);
    const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: activate.body.jwt });
    expect(me.body.id).toBe(user.id);
    // Spent: the enrolment token opens nothing any more.
    expect((await app.http.get('/api/two-factor/me', { jwt: token })).status).toBe(401);
    // And the next sign-in asks for the code.
    expect((await login(user)).body).toHaveProperty('mfaRequired', true);
  });

  it('should void the other enrolment tokens when enrolment ends with one of them', async () => {
    const user = await signUp(app);
    await setPolicy({ mode: 'required' });
    const first = (await login(user)).body.enrollment.token;
    const second = (await login(user)).body.enrollment.token;
    // The holder of the second token starts an SMS factor of their own before the owner ends.
    const thiefPhone = uniquePhone();
    const thiefSetup = await app.http.post<{ factorId: number }>(
      '/api/two-factor/sms/setup',
      { phone: thiefPhone },
      { jwt: second },
    );
    expect(thiefSetup.status, JSON.stringify(thiefSetup.body)).toBe(200);

    const { secret } = await enrolTotp(app, first);
    expect(secret).toEqual(expect.any(String));

    const activate = await app.http.post<StrapiLoginBody>(
      '/api/two-factor/sms/activate',
      { factorId: thiefSetup.body.factorId, code: await app.sms.lastCode(thiefPhone) },
      { jwt: second },
    );
    expect(activate.status).toBe(401);
    expect(activate.body).not.toHaveProperty('jwt');
    expect((await app.http.post('/api/two-factor/totp/setup', {}, { jwt: second })).status).toBe(401);
    expect((await app.http.get('/api/two-factor/me', { jwt: second })).status).toBe(401);
    const me = await app.http.get<{ factors: { type: string }[] }>('/api/two-factor/me', {
      jwt: (await loginWithTotp(user, secret)).jwt,
    });
    expect(me.body.factors.map((f) => f.type)).toEqual(['totp']);
  });

  it('should refuse the enrolment routes with ENROLMENT_COMPLETE once the user has an active factor', async () => {
    const user = await signUp(app);
    await setPolicy({ mode: 'required' });
    const { token } = (await login(user)).body.enrollment;
    // A factor added elsewhere (the sign-up session from before the policy changed).
    await enrolSms(app, user.jwt);
    const setup = await app.http.post('/api/two-factor/totp/setup', {}, { jwt: token });
    expect(errorCode(setup)).toBe('ENROLMENT_COMPLETE');
    const email = await app.http.post('/api/two-factor/email/setup', {}, { jwt: token });
    expect(errorCode(email)).toBe('ENROLMENT_COMPLETE');
    const activate = await app.http.post(
      '/api/two-factor/sms/activate',
      { factorId: 1, code: '123456' },
      { jwt: token },
    );
    expect(errorCode(activate)).toBe('ENROLMENT_COMPLETE');
    const rows = (await app.strapi.db.query('plugin::two-factor.factor').findMany({ where: { userId: user.id } })) as {
      type: string;
    }[];
    expect(rows.map((f) => f.type)).toEqual(['sms']);
  });

  it("should require every user when the mode is 'required'", async () => {
    const user = await signUp(app);
    await setPolicy({ mode: 'required' });
    expect((await login(user)).body).toHaveProperty('mfaEnrollmentRequired', true);
  });

  it("should give no second step at all when the mode is 'off'", async () => {
    const user = await userWithSmsFactor(app);
    await setPolicy({ mode: 'off' });
    const step1 = await login(user);
    expect(Object.keys(step1.body).sort()).toEqual(['jwt', 'user']);
  });

  it('should ignore and refuse methods the policy does not allow', async () => {
    const user = await userWithSmsFactor(app);
    await setPolicy({ allowedMethods: ['totp'] });
    expect(Object.keys((await login(user)).body).sort()).toEqual(['jwt', 'user']);
    const other = await signUp(app);
    const setup = await app.http.post('/api/two-factor/sms/setup', { phone: uniquePhone() }, { jwt: other.jwt });
    expect(errorCode(setup)).toBe('METHOD_NOT_AVAILABLE');
  });

  it('should refuse to remove the last factor of a user who is required to have one', async () => {
    const user = await userWithSmsFactor(app);
    await setPolicy({ requiredRoles: ['authenticated'] });
    const me = await app.http.get<{ factors: { id: number }[] }>('/api/two-factor/me', { jwt: user.jwt });
    await app.http.post('/api/two-factor/step-up/send', { method: 'sms' }, { jwt: user.jwt });
    const code = await app.sms.lastCode(user.phone);
    const removed = await app.http.post(
      `/api/two-factor/factors/${me.body.factors[0]?.id}/remove`,
      { method: 'sms', code },
      { jwt: user.jwt },
    );
    expect(errorCode(removed)).toBe('LAST_FACTOR_REQUIRED');
  });

  it('should record a change that relaxes protection in the audit log', async () => {
    await setPolicy({ mode: 'required' });
    const { relaxed } = await setPolicy({ mode: 'optional', codeLifetimeSeconds: 600 });
    expect(relaxed).toEqual(['mode', 'codeLifetimeSeconds']);
    const events = (await app.strapi.db.query('plugin::two-factor.event').findMany({
      where: { type: 'policy.changed' },
      orderBy: { id: 'desc' },
      limit: 1,
    })) as { details: { relaxed: string[] } }[];
    expect(events[0]?.details.relaxed).toEqual(['mode', 'codeLifetimeSeconds']);
    await setPolicy({ codeLifetimeSeconds: 300 });
  });

  it('should refuse a policy outside the bounds', async () => {
    await expect(setPolicy({ codeLifetimeSeconds: 900 })).rejects.toMatchObject({ details: { code: 'INVALID_INPUT' } });
  });
});
