import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminEventRow,
  type AdminUserRow,
  createAdmin,
  failSecondSteps,
  findAdminUser,
  MAX_CONSECUTIVE_FAILURES,
  type Page,
  superAdminRole,
  type TestAdmin,
} from '../support/adminApi';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { enrolTotp } from '../support/totpEnrolment';
import {
  enrolSms,
  errorCode,
  loginChallenge,
  signUp,
  smsReauthentication,
  startLogin,
  userWithSmsFactor,
} from '../support/twoFactor';

describe(`admin API: users on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp();
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const findUser = (search: string, id: number) => findAdminUser(app, admin, search, id);

  const lock = (userId: number): Promise<void> => failSecondSteps(app, userId, MAX_CONSECUTIVE_FAILURES);

  const lastEvent = async (type: string, userId: number): Promise<AdminEventRow | undefined> => {
    const response = await app.http.get<Page<AdminEventRow>>(`/two-factor/events?type=${type}&userId=${userId}`, {
      jwt: admin.token,
    });
    return response.body.results[0];
  };

  it('should list a user with their methods, last use and recovery codes left', async () => {
    const user = await signUp(app, 'listed');
    const { phone } = await enrolSms(app, user.jwt);
    await enrolTotp(app, user.jwt, await smsReauthentication(app, user.jwt, phone));
    const row = await findUser(user.username, user.id);
    expect(row).toMatchObject({
      id: user.id,
      username: user.username,
      email: user.email,
      blocked: false,
      lockedUntil: null,
      consecutiveFailures: 0,
      recoveryCodesRemaining: 10,
    });
    expect(row?.methods.sort()).toEqual(['sms', 'totp']);
  });

  it('should show the last time a factor was used', async () => {
    const user = await userWithSmsFactor(app);
    const enrolledAt = Date.parse((await findUser(user.username, user.id))?.lastUsedAt ?? '');
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post('/api/two-factor/challenge/verify', { token, method: 'sms', code });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    const signedInAt = Date.parse((await findUser(user.username, user.id))?.lastUsedAt ?? '');
    expect(signedInAt).toBeGreaterThan(enrolledAt);
  });

  it('should list a user without a factor with no methods', async () => {
    const user = await signUp(app, 'plain');
    expect((await findUser(user.email, user.id))?.methods).toEqual([]);
  });

  it('should page through the users and count them all', async () => {
    for (let index = 0; index < 3; index += 1) await signUp(app, 'paged');
    const first = await app.http.get<Page<AdminUserRow>>('/two-factor/users?search=paged_&pageSize=2', {
      jwt: admin.token,
    });
    expect(first.body.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
    const second = await app.http.get<Page<AdminUserRow>>('/two-factor/users?search=paged_&pageSize=2&page=2', {
      jwt: admin.token,
    });
    expect(second.body.results).toHaveLength(1);
    expect(first.body.results.map((row) => row.id)).not.toContain(second.body.results[0]?.id);
  });

  it('should refuse a page size above 100 with INVALID_INPUT', async () => {
    const response = await app.http.get('/two-factor/users?pageSize=500', { jwt: admin.token });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
  });

  it('should show a locked account with the end of its lock-out', async () => {
    const user = await signUp(app, 'locked');
    await lock(user.id);
    const row = await findUser(user.username, user.id);
    expect(row?.lockedUntil).not.toBeNull();
    expect(Date.parse(row?.lockedUntil ?? '')).toBeGreaterThan(Date.now());
  });

  it('should unlock a locked account and log who did it', async () => {
    const user = await signUp(app, 'unlocked');
    await lock(user.id);
    const response = await app.http.post<AdminUserRow>(`/two-factor/users/${user.id}/unlock`, {}, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, lockedUntil: null, consecutiveFailures: 0 });
    expect((await findUser(user.username, user.id))?.lockedUntil).toBeNull();
    const unlocked = await lastEvent('account.unlocked', user.id);
    expect(unlocked).toMatchObject({ userId: user.id, actor: admin.email });
    // The admin is in its own column, and the request's address beside it.
    expect(unlocked?.details).not.toHaveProperty('actor');
    expect(unlocked?.ip).toEqual(expect.stringContaining('127.0.0.1'));
  });

  it('should show failed attempts short of a lock-out, and clear them on unlock', async () => {
    const user = await signUp(app, 'failing');
    await failSecondSteps(app, user.id, 3);
    expect(await findUser(user.username, user.id)).toMatchObject({ lockedUntil: null, consecutiveFailures: 3 });
    const response = await app.http.post<AdminUserRow>(`/two-factor/users/${user.id}/unlock`, {}, { jwt: admin.token });
    expect(response.body).toMatchObject({ lockedUntil: null, consecutiveFailures: 0 });
  });

  it('should let an unlocked user finish a sign-in again', async () => {
    const user = await userWithSmsFactor(app);
    await lock(user.id);
    const before = await startLogin(app, user);
    expect(errorCode(before)).toBe('ACCOUNT_LOCKED');
    await app.http.post(`/two-factor/users/${user.id}/unlock`, {}, { jwt: admin.token });
    const { token, code } = await loginChallenge(app, user);
    const verify = await app.http.post('/api/two-factor/challenge/verify', { token, method: 'sms', code });
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  });

  it('should reset a user: factors, recovery codes, trusted devices and open challenges gone, and logged', async () => {
    const user = await userWithSmsFactor(app);
    const { token } = await loginChallenge(app, user);
    await app.strapi.db.query('plugin::two-factor.trusted-device').create({
      data: { userId: user.id, tokenHash: `test-${user.id}`, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const response = await app.http.post<AdminUserRow>(`/two-factor/users/${user.id}/reset`, {}, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, methods: [], recoveryCodesRemaining: 0 });
    const count = (uid: string, where: Record<string, unknown> = {}) =>
      app.strapi.db.query(uid).count({ where: { userId: user.id, ...where } });
    expect(await count('plugin::two-factor.factor')).toBe(0);
    expect(await count('plugin::two-factor.recovery-code')).toBe(0);
    expect(await count('plugin::two-factor.trusted-device')).toBe(0);
    expect(await count('plugin::two-factor.challenge', { consumedAt: null })).toBe(0);
    const verify = await app.http.post('/api/two-factor/challenge/verify', { token, method: 'sms', code: '000000' });
    expect(verify.status).toBe(400);
    const event = await lastEvent('factors.reset', user.id);
    expect(event).toMatchObject({ userId: user.id, actor: admin.email });
    expect(event?.details.factorTypes).toEqual(['sms']);
  });

  it('should let a reset user sign in with the password alone', async () => {
    const user = await userWithSmsFactor(app);
    await app.http.post(`/two-factor/users/${user.id}/reset`, {}, { jwt: admin.token });
    const login = await startLogin(app, user);
    expect(login.status).toBe(200);
    expect((login.body as unknown as StrapiLoginBody).jwt).toEqual(expect.any(String));
  });

  it('should free a reset user’s phone number for another account', async () => {
    const owner = await userWithSmsFactor(app);
    await app.http.post(`/two-factor/users/${owner.id}/reset`, {}, { jwt: admin.token });
    const other = await signUp(app, 'next');
    await enrolSms(app, other.jwt, owner.phone);
  });

  it('should answer 404 NOT_FOUND for a user that does not exist', async () => {
    for (const action of ['reset', 'unlock']) {
      const response = await app.http.post(`/two-factor/users/987654321/${action}`, {}, { jwt: admin.token });
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('NOT_FOUND');
    }
  });

  it('should refuse an id that is not a positive integer with INVALID_INPUT', async () => {
    for (const id of ['abc', '0', '-1', '1.5']) {
      const response = await app.http.post(`/two-factor/users/${id}/unlock`, {}, { jwt: admin.token });
      expect(response.status, id).toBe(400);
      expect(errorCode(response)).toBe('INVALID_INPUT');
    }
  });
});
