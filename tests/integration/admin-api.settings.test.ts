import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminEventRow,
  createAdmin,
  type Page,
  type Policy,
  put,
  type SettingsBody,
  superAdminRole,
  type TestAdmin,
} from '../support/adminApi';
import { errorCode } from '../support/twoFactor';

describe(`admin API: settings on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp();
    admin = await createAdmin(app, await superAdminRole(app));
  });

  afterAll(async () => {
    await app?.stop();
  });

  const readSettings = async (): Promise<SettingsBody> => {
    const response = await app.http.get<SettingsBody>('/two-factor/settings', { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  const savePolicy = (policy: unknown) =>
    put<{ policy: Policy; relaxed: string[] }>(app, '/two-factor/settings', policy, admin.token);

  it('should answer the policy in force, the users-permissions roles and the bounds of each number', async () => {
    const { policy, roles, bounds } = await readSettings();
    expect(policy.mode).toBe('optional');
    expect(policy.codeLength).toBe(6);
    expect(policy.codeLifetimeSeconds).toBe(300);
    expect(roles).toEqual(expect.arrayContaining([{ type: 'authenticated', name: 'Authenticated' }]));
    expect(bounds.codeLength).toEqual({ min: 6, max: 8 });
    expect(bounds.codeLifetimeSeconds).toEqual({ min: 60, max: 600 });
  });

  it('should not offer the Public role, which has no users who sign in', async () => {
    const { roles } = await readSettings();
    expect(roles.map((role) => role.type)).not.toContain('public');
    const publicRole = await app.strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'public' } });
    expect(publicRole).not.toBeNull();
  });

  it('should refuse to require two-step verification for the Public role', async () => {
    const { policy } = await readSettings();
    const response = await savePolicy({ ...policy, requiredRoles: ['public'] });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
  });

  it('should leave email codes out of the default methods when the app has no email provider', async () => {
    // The example app without SMTP_HOST keeps Strapi's fallback provider, sendmail.
    expect(app.strapi.config.get('plugin::email.provider')).toBe('sendmail');
    const settings = await readSettings();
    expect(settings.emailProviderConfigured).toBe(false);
    expect(settings.policy.allowedMethods).toEqual(['sms', 'totp']);
  });

  it('should store a new policy and answer it on the next read', async () => {
    const { policy } = await readSettings();
    const changed: Policy = {
      ...policy,
      requiredRoles: ['authenticated'],
      codeLength: 8,
      codeLifetimeSeconds: 240,
      allowedCountries: ['US', 'CA'],
      smsTemplate: 'Code {code} for {appName}',
    };
    const saved = await savePolicy(changed);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.policy).toEqual(changed);
    expect((await readSettings()).policy).toEqual(changed);
    // The configuration the sign-in code reads follows the stored policy.
    const config = app.strapi.plugin('two-factor').service('settings').config() as { codeLength: number };
    expect(config.codeLength).toBe(8);
  });

  it('should refuse a code lifetime above ten minutes with INVALID_INPUT naming the field', async () => {
    const { policy } = await readSettings();
    const response = await savePolicy({ ...policy, codeLifetimeSeconds: 900 });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
    expect(JSON.stringify(response.body)).toContain('codeLifetimeSeconds');
    expect((await readSettings()).policy).toEqual(policy);
  });

  it('should refuse a partial policy, an unknown option and a template without {code}', async () => {
    const { policy } = await readSettings();
    const { mode: _mode, ...withoutMode } = policy;
    for (const body of [withoutMode, { ...policy, extra: true }, { ...policy, smsTemplate: 'no code here' }, []]) {
      const response = await savePolicy(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(response), JSON.stringify(response.body)).toBe('INVALID_INPUT');
    }
  });

  it('should refuse a role users-permissions does not have', async () => {
    const { policy } = await readSettings();
    const response = await savePolicy({ ...policy, requiredRoles: ['no-such-role'] });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
  });

  it('should refuse a resend cooldown as long as the code lifetime', async () => {
    const { policy } = await readSettings();
    const response = await savePolicy({ ...policy, codeLifetimeSeconds: 60, resendCooldownSeconds: 60 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('resendCooldownSeconds');
  });

  it('should refuse that policy from code too, through the settings service, and keep the old one', async () => {
    const settings = app.strapi.plugin('two-factor').service('settings');
    const before = settings.policy();
    await expect(
      settings.updatePolicy({ ...before, codeLifetimeSeconds: 120, resendCooldownSeconds: 120 }, 'a script'),
    ).rejects.toMatchObject({ details: { code: 'INVALID_INPUT', fields: ['resendCooldownSeconds'] } });
    expect(settings.policy()).toEqual(before);
  });

  it('should record a policy.changed event naming what a relaxation weakened, and who did it', async () => {
    const { policy } = await readSettings();
    expect((await savePolicy({ ...policy, mode: 'required' })).status).toBe(200);
    const relaxing = await savePolicy({ ...policy, mode: 'optional' });
    expect(relaxing.status).toBe(200);
    expect(relaxing.body.relaxed).toEqual(['mode']);
    const events = await app.http.get<Page<AdminEventRow>>('/two-factor/events?type=policy.changed&pageSize=1', {
      jwt: admin.token,
    });
    expect(events.status).toBe(200);
    const [latest] = events.body.results;
    expect(latest?.details.relaxed).toEqual(['mode']);
    expect(latest?.actor).toBe(admin.email);
  });

  it('should render an SMS template preview with a sample code, the app name and the minutes', async () => {
    const response = await app.http.post<{ text: string }>(
      '/two-factor/settings/preview-sms',
      { template: '{code} is your {appName} code ({minutes} min)', codeLength: 6, codeLifetimeSeconds: 120 },
      { jwt: admin.token },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.text).toBe('123456 is your Example code (2 min)');
  });

  it('should refuse a preview without a template', async () => {
    const response = await app.http.post('/two-factor/settings/preview-sms', { text: 'x' }, { jwt: admin.token });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('INVALID_INPUT');
  });
});
