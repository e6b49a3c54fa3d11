import { randomBytes } from 'node:crypto';
import type { AdminUserStatus, Page } from '@strapi-two-factor/contract';
import type { ExampleApp, HttpResponse } from '@strapi-two-factor/test-utils';
import { expect } from 'vitest';

/** Strapi's admin password rules: 8+ characters with a lower-case letter, an upper-case letter and a digit. */
const ADMIN_PASSWORD = 'Admin-Passw0rd';

export interface TestAdmin {
  id: number;
  email: string;
  password: string;
  /** The admin access token, for `Authorization: Bearer`. */
  token: string;
}

interface AdminRoleService {
  getSuperAdmin(): Promise<{ id: number }>;
  create(attributes: { name: string; description: string }): Promise<{ id: number }>;
  assignPermissions(roleId: number, permissions: { action: string }[]): Promise<unknown>;
}

interface AdminUserService {
  create(attributes: Record<string, unknown>): Promise<{ id: number }>;
}

/**
 * An admin role granting exactly these actions (e.g. `plugin::two-factor.read`), made with
 * Strapi's own role service, as the roles editor would.
 */
export async function createAdminRole(app: ExampleApp, actions: string[]): Promise<number> {
  const roles = app.strapi.service('admin::role') as unknown as AdminRoleService;
  const role = await roles.create({
    name: `Two-factor test ${randomBytes(4).toString('hex')}`,
    description: 'made by the tests',
  });
  await roles.assignPermissions(
    role.id,
    actions.map((action) => ({ action })),
  );
  return role.id;
}

/** The Super Admin role, which holds every registered action. */
export async function superAdminRole(app: ExampleApp): Promise<number> {
  return (await (app.strapi.service('admin::role') as unknown as AdminRoleService).getSuperAdmin()).id;
}

/** Creates an active admin with Strapi's user service, then signs in through `POST /admin/login`. */
export async function createAdmin(app: ExampleApp, roleId: number): Promise<TestAdmin> {
  const email = `admin.${randomBytes(4).toString('hex')}@example.test`;
  const users = app.strapi.service('admin::user') as unknown as AdminUserService;
  const admin = await users.create({
    email,
    firstname: 'Test',
    lastname: 'Admin',
    password: ADMIN_PASSWORD,
    isActive: true,
    roles: [roleId],
    registrationToken: null,
  });
  const login = await app.http.post<{ data: { token: string } }>('/admin/login', { email, password: ADMIN_PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { id: admin.id, email, password: ADMIN_PASSWORD, token: login.body.data.token };
}

interface AccountStateService {
  reserveAttempt(userId: number): Promise<void>;
  recordFailure(userId: number): Promise<{ locked: boolean }>;
}

/** The default `maxConsecutiveFailures`: that many failed second steps lock an account. */
export const MAX_CONSECUTIVE_FAILURES = 10;

/**
 * Counts `count` failed second steps for a user, the way a wrong code does (an attempt is
 * reserved, then settled as a failure); `MAX_CONSECUTIVE_FAILURES` of them lock the account.
 */
export async function failSecondSteps(app: ExampleApp, userId: number, count: number): Promise<void> {
  const accountState = app.strapi.plugin('two-factor').service('accountState') as AccountStateService;
  for (let failure = 0; failure < count; failure += 1) {
    await accountState.reserveAttempt(userId);
    await accountState.recordFailure(userId);
  }
}

/** `PUT`, which the shared HTTP client has no shortcut for. */
export function put<Body = unknown>(
  app: ExampleApp,
  path: string,
  body: unknown,
  token: string,
): Promise<HttpResponse<Body>> {
  return app.http.request<Body>('PUT', path, body, { jwt: token });
}

/** User `id` in the admin API's user list searched for `search`, the answer checked to be 200. */
export async function findAdminUser<Row extends AdminUserStatus = AdminUserStatus>(
  app: ExampleApp,
  admin: TestAdmin,
  search: string,
  id: number,
): Promise<Row | undefined> {
  const response = await app.http.get<Page<Row>>(`/two-factor/users?search=${encodeURIComponent(search)}`, {
    jwt: admin.token,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.results.find((row) => row.id === id);
}

// The admin API's bodies, declared once in the contract, under the names the tests use.
export type {
  AdminEvent as AdminEventRow,
  AdminPasskey as AdminPasskeyRow,
  AdminPolicy as Policy,
  AdminSettingsAnswer as SettingsBody,
  AdminUserSession as SessionRow,
  AdminUserSessions as SessionsBody,
  AdminUserStatus as AdminUserRow,
  EndedSessions as EndedBody,
  Page,
} from '@strapi-two-factor/contract';
