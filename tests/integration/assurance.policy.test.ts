import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoFactorClient } from '../../packages/client/src';
import { jwtPayload, pluginNowSeconds, signInFromTrustedDevice, signInWithSms } from '../support/assurance';
import type { StrapiErrorBody } from '../support/strapiBodies';
import { errorCode, signUp, travel, userWithSmsFactor, wrongCode } from '../support/twoFactor';
import { cookieHeader } from '../support/users';

interface SecurePingBody {
  ok: true;
  aal: number;
  amr: string[];
}

const SECURE_PING = '/api/example/secure-ping';

describe(`the assurance policy and step-up on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp({ env: { UP_JWT_MANAGEMENT: 'refresh', UP_SESSIONS_HTTP_ONLY: 'true' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Asks `step-up/send` for an SMS code and returns it. */
  async function sentSmsCode(jwt: string, phone: string): Promise<string> {
    const sent = await app.http.post('/api/two-factor/step-up/send', { method: 'sms' }, { jwt });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    return app.sms.lastCode(phone);
  }

  it('should refuse an AAL1 session with 403 STEP_UP_REQUIRED and the methods to step up with', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInFromTrustedDevice(app, user);
    const response = await app.http.get<StrapiErrorBody>(SECURE_PING, { jwt: login.body.jwt });
    expect(response.status).toBe(403);
    expect(response.body.error.details).toEqual({
      code: 'STEP_UP_REQUIRED',
      aal: 1,
      requiredAal: 2,
      methods: ['sms', 'recovery_code'],
    });
  });

  it('should refuse a user without a factor with no methods to step up with', async () => {
    const user = await signUp(app);
    const response = await app.http.get<StrapiErrorBody>(SECURE_PING, { jwt: user.jwt });
    expect(response.status).toBe(403);
    expect(response.body.error.details).toEqual({ code: 'STEP_UP_REQUIRED', aal: 1, requiredAal: 2, methods: [] });
  });

  it('should let an AAL2 session through with its claims', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInWithSms(app, user);
    const response = await app.http.get<SecurePingBody>(SECURE_PING, { jwt: login.body.jwt });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ ok: true, aal: 2, amr: ['pwd', 'sms', 'mfa'] });
  });

  it('should refuse an AAL2 session whose factor was proven more than 900 seconds ago', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInWithSms(app, user);
    travel(app, 901);
    const response = await app.http.get<StrapiErrorBody>(SECURE_PING, { jwt: login.body.jwt });
    expect(response.status).toBe(403);
    expect(response.body.error.details).toMatchObject({ code: 'STEP_UP_REQUIRED', aal: 2, requiredAal: 2 });
  });

  it('should let an AAL1 session through after a step-up, without a new sign-in', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInFromTrustedDevice(app, user);
    const code = await sentSmsCode(login.body.jwt, user.phone);
    const stepUp = await app.http.post<{ jwt: string }>(
      '/api/two-factor/step-up/verify',
      { method: 'sms', code },
      { jwt: login.body.jwt },
    );
    expect(stepUp.status, JSON.stringify(stepUp.body)).toBe(200);
    expect(Object.keys(stepUp.body)).toEqual(['jwt']);
    const raised = jwtPayload(stepUp.body.jwt);
    expect(raised).toMatchObject({
      amr: ['pwd', 'sms', 'mfa'],
      aal: 2,
      sessionId: jwtPayload(login.body.jwt).sessionId,
    });
    expect(Math.abs((raised.auth_time as number) - pluginNowSeconds(app))).toBeLessThanOrEqual(5);
    const response = await app.http.get<SecurePingBody>(SECURE_PING, { jwt: stepUp.body.jwt });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });

  it('should let a stale AAL2 session through again after a step-up', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInWithSms(app, user);
    travel(app, 901);
    const code = await sentSmsCode(login.body.jwt, user.phone);
    const stepUp = await app.http.post<{ jwt: string }>(
      '/api/two-factor/step-up/verify',
      { method: 'sms', code },
      { jwt: login.body.jwt },
    );
    expect(stepUp.status, JSON.stringify(stepUp.body)).toBe(200);
    expect((await app.http.get(SECURE_PING, { jwt: stepUp.body.jwt })).status).toBe(200);
  });

  it('should keep the raised claims in the tokens later refreshes hand out', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInFromTrustedDevice(app, user);
    const code = await sentSmsCode(login.body.jwt, user.phone);
    const stepUp = await app.http.post<{ jwt: string }>(
      '/api/two-factor/step-up/verify',
      { method: 'sms', code },
      { jwt: login.body.jwt },
    );
    expect(stepUp.status).toBe(200);
    const refreshed = await app.http.post<{ jwt: string }>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(login.setCookies) },
    );
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(jwtPayload(refreshed.body.jwt)).toMatchObject({
      amr: ['pwd', 'sms', 'mfa'],
      aal: 2,
      auth_time: jwtPayload(stepUp.body.jwt).auth_time,
    });
  });

  it('should refuse a wrong step-up code as INVALID_CODE and raise nothing', async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInFromTrustedDevice(app, user);
    const code = await sentSmsCode(login.body.jwt, user.phone);
    const stepUp = await app.http.post(
      '/api/two-factor/step-up/verify',
      { method: 'sms', code: wrongCode(code) },
      { jwt: login.body.jwt },
    );
    expect(stepUp.status).toBe(400);
    expect(errorCode(stepUp)).toBe('INVALID_CODE');
    const refreshed = await app.http.post<{ jwt: string }>(
      '/api/auth/refresh',
      {},
      { cookie: cookieHeader(login.setCookies) },
    );
    expect(jwtPayload(refreshed.body.jwt)).toMatchObject({ amr: ['pwd'], aal: 1 });
  });

  it("should raise the client's session with stepUp and use the new jwt", async () => {
    const user = await userWithSmsFactor(app);
    const login = await signInFromTrustedDevice(app, user);
    const client = createTwoFactorClient({ baseUrl: app.url });
    client.setAccessToken(login.body.jwt);
    await client.sendStepUpCode('sms');
    const raised = await client.stepUp({ method: 'sms', code: await app.sms.lastCode(user.phone) });
    expect(client.getAccessToken()).toBe(raised.jwt);
    expect(jwtPayload(raised.jwt)).toMatchObject({ aal: 2, amr: ['pwd', 'sms', 'mfa'] });
    expect((await app.http.get(SECURE_PING, { jwt: raised.jwt })).status).toBe(200);
  });
});
