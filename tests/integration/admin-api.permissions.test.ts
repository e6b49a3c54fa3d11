import { databaseUnderTest, type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, createAdminRole, type SettingsBody, superAdminRole, type TestAdmin } from '../support/adminApi';
import { signUp } from '../support/twoFactor';

interface AdminRoute {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  action: 'read' | 'settings' | 'manage-users';
}

describe(`admin API: permissions on ${databaseUnderTest()}`, () => {
  let app: ExampleApp;
  let superAdmin: TestAdmin;
  let withoutRights: TestAdmin;
  let readOnly: TestAdmin;
  let routes: AdminRoute[];

  beforeAll(async () => {
    app = await startExampleApp();
    superAdmin = await createAdmin(app, await superAdminRole(app));
    withoutRights = await createAdmin(app, await createAdminRole(app, []));
    readOnly = await createAdmin(app, await createAdminRole(app, ['plugin::two-factor.read']));
    const user = await signUp(app, 'target');
    routes = [
      { method: 'GET', path: '/two-factor/settings', action: 'settings' },
      { method: 'PUT', path: '/two-factor/settings', action: 'settings' },
      { method: 'POST', path: '/two-factor/settings/preview-sms', action: 'settings' },
      { method: 'GET', path: '/two-factor/users', action: 'read' },
      { method: 'POST', path: `/two-factor/users/${user.id}/reset`, action: 'manage-users' },
      { method: 'POST', path: `/two-factor/users/${user.id}/unlock`, action: 'manage-users' },
      { method: 'GET', path: `/two-factor/users/${user.id}/sessions`, action: 'read' },
      { method: 'POST', path: `/two-factor/users/${user.id}/sessions/end`, action: 'manage-users' },
      { method: 'GET', path: '/two-factor/events', action: 'read' },
    ];
  });

  afterAll(async () => {
    await app?.stop();
  });

  const call = async (route: AdminRoute, token?: string) => {
    let body: unknown;
    if (route.method === 'PUT')
      body = (await app.http.get<SettingsBody>('/two-factor/settings', { jwt: superAdmin.token })).body.policy;
    if (route.method === 'POST') body = route.path.endsWith('preview-sms') ? { template: '{code}' } : {};
    return app.http.request(route.method, route.path, body, token === undefined ? {} : { jwt: token });
  };

  it('should register the read, settings and manage-users actions in the plugins section', () => {
    const provider = (
      app.strapi.service('admin::permission') as unknown as {
        actionProvider: { get(id: string): { section: string; pluginName: string } | undefined };
      }
    ).actionProvider;
    for (const uid of ['read', 'settings', 'manage-users']) {
      expect(provider.get(`plugin::two-factor.${uid}`)).toMatchObject({ section: 'plugins', pluginName: 'two-factor' });
    }
  });

  it('should let the Super Admin through every admin route', async () => {
    for (const route of routes) {
      const response = await call(route, superAdmin.token);
      expect(response.status, `${route.method} ${route.path}: ${JSON.stringify(response.body)}`).toBe(200);
    }
  });

  it('should answer 401 to every admin route without a token', async () => {
    for (const route of routes) {
      expect((await call(route)).status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('should answer 401 to a content API user’s token', async () => {
    const user = await signUp(app, 'intruder');
    for (const route of routes) {
      expect((await call(route, user.jwt)).status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('should answer 403 to every admin route for an admin whose role lacks the permissions', async () => {
    for (const route of routes) {
      expect((await call(route, withoutRights.token)).status, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it('should let an admin with only the read permission read users and events, and nothing else', async () => {
    for (const route of routes) {
      const expected = route.action === 'read' ? 200 : 403;
      expect((await call(route, readOnly.token)).status, `${route.method} ${route.path}`).toBe(expected);
    }
  });
});
