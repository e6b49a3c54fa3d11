import { randomBytes } from 'node:crypto';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type EnrolledUser, loginChallenge, travel, userWithSmsFactor } from '../support/twoFactor';

type TrustedLogin = StrapiLoginBody & { trustedDevice: { token: string; expiresAt: string } };

describe(`trusted devices on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function trustedLogin(user: EnrolledUser): Promise<TrustedLogin> {
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post<TrustedLogin>('/api/two-factor/challenge/verify', {
      token,
      method: 'sms',
      code,
      trustDevice: true,
    });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    return verify.body;
  }

  const loginFrom = (user: EnrolledUser, deviceToken: string, password = user.password) =>
    app.http.post<TrustedLogin & { mfaRequired?: boolean }>(
      '/api/auth/local',
      { identifier: user.username, password },
      { headers: { 'x-two-factor-device': deviceToken } },
    );

  it('should hand out a device token for 30 days when asked', async () => {
    const user = await userWithSmsFactor(app);
    const body = await trustedLogin(user);
    expect(body.trustedDevice.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(body.trustedDevice.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
  });

  it('should skip step 2 from a trusted device and rotate its token', async () => {
    const user = await userWithSmsFactor(app);
    const { trustedDevice } = await trustedLogin(user);
    const first = await loginFrom(user, trustedDevice.token);
    expect(first.status).toBe(200);
    expect(first.body.jwt).toEqual(expect.any(String));
    expect(first.body.trustedDevice.token).not.toBe(trustedDevice.token);
    // The old token is spent: back to a challenge.
    expect((await loginFrom(user, trustedDevice.token)).body.mfaRequired).toBe(true);
    expect((await loginFrom(user, first.body.trustedDevice.token)).body.jwt).toEqual(expect.any(String));
  });

  it('should never skip the password', async () => {
    const user = await userWithSmsFactor(app);
    const { trustedDevice } = await trustedLogin(user);
    const wrong = await loginFrom(user, trustedDevice.token, 'not-the-password');
    expect(wrong.status).toBe(400);
    // Strapi's own wrong-password answer: no token, no challenge, no cookie.
    expect(wrong.body).toMatchObject({ data: null, error: { name: 'ValidationError' } });
    expect(wrong.body).not.toHaveProperty('jwt');
    expect(wrong.body).not.toHaveProperty('mfaRequired');
    expect(wrong.setCookies.filter((c) => c.startsWith('strapi_up_refresh='))).toEqual([]);
    // The device itself still works with the right password: the refusal was the password's.
    const right = await loginFrom(user, trustedDevice.token);
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.body).toHaveProperty('jwt');
  });

  it('should refuse a revoked device', async () => {
    const user = await userWithSmsFactor(app);
    const { trustedDevice, jwt } = await trustedLogin(user);
    const me = await app.http.get<{ trustedDevices: { id: number }[] }>('/api/two-factor/me', { jwt });
    expect(me.body.trustedDevices).toHaveLength(1);
    const revoked = await app.http.post(
      `/api/two-factor/trusted-devices/${me.body.trustedDevices[0]?.id}/revoke`,
      {},
      { jwt },
    );
    expect(revoked.status).toBe(200);
    expect((await loginFrom(user, trustedDevice.token)).body.mfaRequired).toBe(true);
  });

  it('should refuse every device after a password reset', async () => {
    const user = await userWithSmsFactor(app);
    const { trustedDevice } = await trustedLogin(user);
    const resetCode = randomBytes(32).toString('hex');
    await app.strapi.db
      .query('plugin::users-permissions.user')
      .update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
    await app.http.post('/api/auth/reset-password', {
      code: resetCode,
      password: 'Pw-after-reset-1',
      passwordConfirmation: 'Pw-after-reset-1',
    });
    expect((await loginFrom(user, trustedDevice.token, 'Pw-after-reset-1')).body.mfaRequired).toBe(true);
  });

  it('should refuse a device after 30 days (clock moved)', async () => {
    const user = await userWithSmsFactor(app);
    const { trustedDevice } = await trustedLogin(user);
    travel(app, 30 * 86_400 + 1);
    expect((await loginFrom(user, trustedDevice.token)).body.mfaRequired).toBe(true);
  });

  it("should refuse another user's device", async () => {
    const owner = await userWithSmsFactor(app);
    const { trustedDevice } = await trustedLogin(owner);
    const other = await userWithSmsFactor(app);
    expect((await loginFrom(other, trustedDevice.token)).body.mfaRequired).toBe(true);
  });

  it('should keep at most 10 devices per user', async () => {
    const user = await userWithSmsFactor(app);
    await trustedLogin(user);
    // Ten more, straight through the service: ten more SMS to one number would hit its hourly budget.
    const devices = app.strapi.plugin('two-factor').service('trustedDevices');
    for (let i = 0; i < 10; i += 1) await devices.trust(user.id, `agent ${i}`);
    expect(await app.strapi.db.query('plugin::two-factor.trusted-device').count({ where: { userId: user.id } })).toBe(
      10,
    );
  });
});
