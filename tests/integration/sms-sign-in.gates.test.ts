import { randomBytes } from 'node:crypto';
import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failSecondSteps, MAX_CONSECUTIVE_FAILURES } from '../support/adminApi';
import type { StrapiLoginBody } from '../support/strapiBodies';
import { type ChallengeBody, errorCode, travel, userWithSmsFactor, waitForSms } from '../support/twoFactor';
import { newUser } from '../support/users';

interface GraphqlBody {
  data: Record<string, { jwt?: string | null } | null> | null;
  errors?: { message: string; extensions?: { error?: { details?: { code?: string } } } }[];
}

describe(`every other token path on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  const users = () => app.strapi.db.query('plugin::users-permissions.user');

  beforeAll(async () => {
    app = await startExampleApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const graphql = (query: string, variables: Record<string, unknown>) =>
    app.http.post<GraphqlBody>('/graphql', { query, variables });

  describe('reset-password', () => {
    it('should change the password but answer with a challenge, not tokens, for a two-step user', async () => {
      const user = await userWithSmsFactor(app);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
      const newPassword = 'Brand-new-password-1';
      const sent = (await app.sms.messages(user.phone)).length;
      const reset = await app.http.post<ChallengeBody>('/api/auth/reset-password', {
        code: resetCode,
        password: newPassword,
        passwordConfirmation: newPassword,
      });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);
      expect(reset.body.mfaRequired).toBe(true);
      expect(JSON.stringify(reset.body)).not.toMatch(/jwt|refreshToken/);
      expect(reset.setCookies.filter((c) => c.startsWith('strapi_up_refresh='))).toEqual([]);
      await waitForSms(app, user.phone, sent + 1);

      // The reset code is spent and the new password is the one that passes step 1.
      const again = await app.http.post('/api/auth/reset-password', {
        code: resetCode,
        password: 'x-Other-1',
        passwordConfirmation: 'x-Other-1',
      });
      expect(again.status).toBe(400);
      const login = await app.http.post<ChallengeBody>('/api/auth/local', {
        identifier: user.username,
        password: newPassword,
      });
      expect(login.body.mfaRequired).toBe(true);
    });

    it("should end every existing session of the user, as Strapi's reset does", async () => {
      const user = await userWithSmsFactor(app);
      const sessionsBefore = await app.strapi.db.query('admin::session').count({ where: { userId: String(user.id) } });
      expect(sessionsBefore).toBeGreaterThan(0);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
      await app.http.post('/api/auth/reset-password', {
        code: resetCode,
        password: 'Pw-reset-123',
        passwordConfirmation: 'Pw-reset-123',
      });
      expect(await app.strapi.db.query('admin::session').count({ where: { userId: String(user.id) } })).toBe(0);
    });

    it("should keep Strapi's validation: mismatched passwords are refused and nothing changes", async () => {
      const user = await userWithSmsFactor(app);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
      const reset = await app.http.post<{ error: { message: string } }>('/api/auth/reset-password', {
        code: resetCode,
        password: 'one-password-1',
        passwordConfirmation: 'another-password-2',
      });
      expect(reset.status).toBe(400);
      expect(reset.body.error.message).toBe('Passwords do not match');
      const row = (await users().findOne({ where: { id: user.id } })) as { resetPasswordToken: string };
      expect(row.resetPasswordToken).toBe(resetCode);
    });

    it('should refuse the reset of a locked account and change nothing: old password kept, reset code unspent', async () => {
      const user = await userWithSmsFactor(app);
      // Locked the way wrong codes lock it.
      await failSecondSteps(app, user.id, MAX_CONSECUTIVE_FAILURES);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
      const newPassword = 'Locked-new-password-1';
      const reset = await app.http.post('/api/auth/reset-password', {
        code: resetCode,
        password: newPassword,
        passwordConfirmation: newPassword,
      });
      expect(reset.status).toBe(429);
      expect(errorCode(reset)).toBe('ACCOUNT_LOCKED');
      expect(Number(reset.headers.get('retry-after'))).toBeGreaterThan(0);
      const row = (await users().findOne({ where: { id: user.id } })) as { resetPasswordToken: string | null };
      expect(row.resetPasswordToken).toBe(resetCode);

      // Once the lock has passed, the old password is the one that opens step 1.
      travel(app, 15 * 60 + 1);
      const withNew = await app.http.post('/api/auth/local', { identifier: user.username, password: newPassword });
      expect(withNew.status).toBe(400);
      const withOld = await app.http.post<ChallengeBody>('/api/auth/local', {
        identifier: user.username,
        password: user.password,
      });
      expect(withOld.status, JSON.stringify(withOld.body)).toBe(200);
      expect(withOld.body.mfaRequired).toBe(true);
    });

    it('should leave the reset of a user without two-step verification to Strapi', async () => {
      const user = newUser();
      const registered = await app.http.post<StrapiLoginBody>('/api/auth/local/register', user);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: registered.body.user.id }, data: { resetPasswordToken: resetCode } });
      const reset = await app.http.post<StrapiLoginBody>('/api/auth/reset-password', {
        code: resetCode,
        password: 'Pw-reset-123',
        passwordConfirmation: 'Pw-reset-123',
      });
      expect(reset.status).toBe(200);
      expect(reset.body.jwt).toEqual(expect.any(String));
    });
  });

  describe('GraphQL', () => {
    it('should refuse the login mutation of a two-step user without a token', async () => {
      const user = await userWithSmsFactor(app);
      const response = await graphql(
        'mutation Login($identifier: String!, $password: String!) { login(input: { identifier: $identifier, password: $password }) { jwt } }',
        { identifier: user.username, password: user.password },
      );
      expect(response.body.data?.login ?? null).toBeNull();
      expect(JSON.stringify(response.body)).not.toMatch(/"jwt":"/);
      expect(response.body.errors?.[0]?.message).toContain('two-step verification');
    });

    it('should still log in a user without two-step verification through GraphQL', async () => {
      const user = newUser();
      await app.http.post('/api/auth/local/register', user);
      const response = await graphql(
        'mutation Login($identifier: String!, $password: String!) { login(input: { identifier: $identifier, password: $password }) { jwt } }',
        { identifier: user.username, password: user.password },
      );
      expect(response.body.data?.login?.jwt).toEqual(expect.any(String));
    });

    it('should refuse the resetPassword mutation of a two-step user without a token', async () => {
      const user = await userWithSmsFactor(app);
      const resetCode = randomBytes(32).toString('hex');
      await users().update({ where: { id: user.id }, data: { resetPasswordToken: resetCode } });
      const response = await graphql(
        'mutation Reset($code: String!, $password: String!) { resetPassword(code: $code, password: $password, passwordConfirmation: $password) { jwt } }',
        { code: resetCode, password: 'Pw-graphql-1' },
      );
      expect(JSON.stringify(response.body)).not.toMatch(/"jwt":"/);
      expect(response.body.errors?.length).toBeGreaterThan(0);
    });

    it('should refuse the emailConfirmation mutation of a two-step user without a token', async () => {
      const user = await userWithSmsFactor(app);
      const confirmation = randomBytes(20).toString('hex');
      await users().update({ where: { id: user.id }, data: { confirmationToken: confirmation } });
      const response = await graphql(
        'mutation Confirm($confirmation: String!) { emailConfirmation(confirmation: $confirmation) { jwt } }',
        {
          confirmation,
        },
      );
      expect(JSON.stringify(response.body)).not.toMatch(/"jwt":"/);
      expect(response.body.errors?.length).toBeGreaterThan(0);
    });
  });

  it('should refuse a challenge token on the content API', async () => {
    const user = await userWithSmsFactor(app);
    const step1 = await app.http.post<ChallengeBody>('/api/auth/local', {
      identifier: user.username,
      password: user.password,
    });
    const me = await app.http.get('/api/two-factor/me', { jwt: step1.body.challenge.token });
    expect(me.status).toBe(401);
    expect(errorCode(me)).toBeUndefined();
  });
});
