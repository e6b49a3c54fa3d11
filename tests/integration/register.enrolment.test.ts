import type { EnrollmentAnswer } from '@strapi-two-factor/contract';
import { databaseUnderTest, type ExampleApp, SmtpInbox, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StrapiLoginBody, StrapiUser } from '../support/strapiBodies';
import { uniquePhone } from '../support/twoFactor';
import { newUser } from '../support/users';

/** The contract's answer. */
type EnrolmentBody = EnrollmentAnswer;

interface GraphqlBody {
  data: { register?: { jwt?: string | null } | null } | null;
  errors?: { message: string; extensions?: { error?: { details?: { code?: string } } } }[];
}

const MODES = [
  { mode: 'refresh', strapiBodyKeys: ['jwt', 'refreshToken', 'user'] },
  { mode: 'legacy-support', strapiBodyKeys: ['jwt', 'user'] },
] as const;

describe.each(MODES)(
  `registration under a required policy ($mode) on ${databaseUnderTest()}`,
  ({ mode, strapiBodyKeys }) => {
    let app: ExampleApp;
    const smtp = new SmtpInbox();
    const settings = () => app.strapi.plugin('two-factor').service('settings');
    const setPolicy = async (patch: Record<string, unknown>) =>
      settings().updatePolicy({ ...settings().policy(), ...patch }, 'test');
    const upStore = () => app.strapi.store({ type: 'plugin', name: 'users-permissions' });
    const setEmailConfirmation = async (on: boolean) => {
      const advanced = (await upStore().get({ key: 'advanced' })) as Record<string, unknown>;
      await upStore().set({ key: 'advanced', value: { ...advanced, email_confirmation: on } });
    };
    const users = () => app.strapi.db.query('plugin::users-permissions.user');

    beforeAll(async () => {
      app = await startExampleApp({ env: { ...(await smtp.env()), UP_JWT_MANAGEMENT: mode } });
    });

    beforeEach(async () => {
      await setPolicy({ mode: 'optional', requiredRoles: [], allowedMethods: ['sms', 'totp', 'email'] });
      await setEmailConfirmation(false);
    });

    afterAll(async () => {
      await app?.stop();
      await smtp.close();
    });

    const register = (body: object) =>
      app.http.post<EnrolmentBody & Partial<StrapiLoginBody>>('/api/auth/local/register', body);

    it("should answer with the enrolment-only login, no token and no cookie, under mode 'required'", async () => {
      await setPolicy({ mode: 'required' });
      const user = newUser();
      const response = await register(user);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(Object.keys(response.body)).toEqual(['mfaEnrollmentRequired', 'enrollment']);
      expect(response.body.enrollment.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(response.setCookies.filter((c) => c.startsWith('strapi_up_refresh='))).toEqual([]);
      // The user exists as Strapi's register makes it.
      const row = (await users().findOne({ where: { username: user.username }, populate: ['role'] })) as {
        id: number;
        email: string;
        confirmed: boolean;
        provider: string;
        role: { type: string };
      };
      expect(row).toMatchObject({
        email: user.email,
        confirmed: true,
        provider: 'local',
        role: { type: 'authenticated' },
      });
      // Never a session made and thrown away (DESIGN.md).
      expect(await app.strapi.db.query('admin::session').count({ where: { userId: String(row.id) } })).toBe(0);
    });

    it('should answer with the enrolment-only login when the default role is a required role', async () => {
      await setPolicy({ requiredRoles: ['authenticated'] });
      const response = await register(newUser());
      expect(response.body).toHaveProperty('mfaEnrollmentRequired', true);
      expect(response.body).not.toHaveProperty('jwt');
    });

    it('should turn the enrolment token of a registration into a full login when the first factor is active', async () => {
      await setPolicy({ mode: 'required' });
      const user = newUser();
      const { token } = (await register(user)).body.enrollment;
      const phone = uniquePhone();
      const setup = await app.http.post<{ factorId: number }>('/api/two-factor/sms/setup', { phone }, { jwt: token });
      expect(setup.status, JSON.stringify(setup.body)).toBe(200);
      const activate = await app.http.post<StrapiLoginBody & { recoveryCodes: string[] }>(
        '/api/two-factor/sms/activate',
        { factorId: setup.body.factorId, code: await app.sms.lastCode(phone) },
        { jwt: token },
      );
      expect(activate.status, JSON.stringify(activate.body)).toBe(200);
      expect(activate.body.recoveryCodes).toHaveLength(10);
      const me = await app.http.get<StrapiUser>('/api/users/me', { jwt: activate.body.jwt });
      expect(me.status).toBe(200);
      expect(me.body.username).toBe(user.username);
    });

    it("should keep Strapi's own register body for a role that needs no second step", async () => {
      const response = await register(newUser());
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual([...strapiBodyKeys]);
    });

    it("should keep Strapi's confirmation flow under 'required': the user and the mail, no token", async () => {
      await setPolicy({ mode: 'required' });
      await setEmailConfirmation(true);
      const user = newUser();
      const response = await register(user);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(Object.keys(response.body)).toEqual(['user']);
      await expect.poll(() => smtp.messages(user.email).length).toBe(1);
    });

    it('should fail the GraphQL register mutation closed under a required policy, with no token and no user', async () => {
      await setPolicy({ mode: 'required' });
      const user = newUser();
      const response = await app.http.post<GraphqlBody>('/graphql', {
        query:
          'mutation Register($input: UsersPermissionsRegisterInput!) { register(input: $input) { jwt user { id } } }',
        variables: { input: user },
      });
      expect(response.body.data?.register ?? null).toBeNull();
      expect(JSON.stringify(response.body)).not.toMatch(/"jwt":"/);
      expect(response.body.errors?.[0]?.extensions?.error?.details?.code).toBe('TWO_FACTOR_REQUIRED');
      expect(await users().count({ where: { username: user.username } })).toBe(0);
    });
  },
);
