import { describe, expect, it } from 'vitest';
import {
  adminEventsPage,
  adminSettingsAnswer,
  adminSettingsUpdateAnswer,
  adminUserSessions,
  adminUserStatus,
  adminUsersPage,
  endedSessions,
  smsPreviewAnswer,
} from './admin.js';

const policy = {
  mode: 'optional',
  requiredRoles: ['authenticated'],
  allowedMethods: ['sms', 'totp'],
  codeLength: 6,
  codeLifetimeSeconds: 300,
  maxAttemptsPerChallenge: 5,
  maxConsecutiveFailures: 10,
  lockoutSeconds: 900,
  resendCooldownSeconds: 60,
  maxSendsPerChallenge: 3,
  allowedCountries: [],
  smsTemplate: 'Your code is {code}',
};

const pagination = { page: 1, pageSize: 25, pageCount: 1, total: 1 };

const userStatus = {
  id: 7,
  username: 'ada',
  email: null,
  blocked: false,
  methods: ['sms', 'passkey'],
  passkeys: [{ id: 12, label: 'Laptop', backedUp: true, createdAt: '2025-01-31T10:00:00.000Z', lastUsedAt: null }],
  lastUsedAt: '2025-02-01T08:30:00.000Z',
  lockedUntil: null,
  consecutiveFailures: 0,
  recoveryCodesRemaining: 10,
};

describe('admin API bodies', () => {
  it('should read the settings and the answer of a change to them', () => {
    const settings = {
      policy,
      roles: [{ type: 'authenticated', name: 'Authenticated' }],
      bounds: { codeLength: { min: 6, max: 8 }, codeLifetimeSeconds: { min: 60, max: 600 } },
      emailProviderConfigured: false,
    };
    expect(adminSettingsAnswer.parse(settings)).toEqual(settings);
    expect(adminSettingsAnswer.safeParse({ ...settings, bounds: { smsTemplate: { min: 1, max: 2 } } }).success).toBe(
      false,
    );
    expect(adminSettingsAnswer.safeParse({ ...settings, policy: { ...policy, mode: 'sometimes' } }).success).toBe(
      false,
    );
    expect(adminSettingsUpdateAnswer.parse({ policy, relaxed: ['mode'] })).toEqual({ policy, relaxed: ['mode'] });
    expect(smsPreviewAnswer.parse({ text: 'Your code is 123456' })).toEqual({ text: 'Your code is 123456' });
  });

  it("should read a page of users and one user's status", () => {
    const page = { results: [userStatus], pagination };
    expect(adminUsersPage.parse(page)).toEqual(page);
    expect(adminUserStatus.parse(userStatus)).toEqual(userStatus);
    expect(adminUserStatus.safeParse({ ...userStatus, passkeys: undefined }).success).toBe(false);
  });

  it('should read a page of audit log events', () => {
    const page = {
      results: [
        {
          id: 3,
          type: 'factors.reset',
          userId: 7,
          username: null,
          actor: 'admin@example.test',
          ip: null,
          details: { actor: 'admin@example.test', factorTypes: ['sms'] },
          createdAt: '2025-02-01T08:30:00.000Z',
        },
      ],
      pagination,
    };
    expect(adminEventsPage.parse(page)).toEqual(page);
  });

  it("should read a user's sessions in each jwt mode, and the answer of ending them", () => {
    const session = {
      idPrefix: 'a1b2c3d4',
      deviceName: 'Firefox on Linux',
      signedInAt: '2025-02-01T08:00:00.000Z',
      lastRefreshedAt: '2025-02-01T08:30:00.000Z',
      expiresAt: '2025-02-15T08:30:00.000Z',
      absoluteExpiresAt: null,
      amr: ['pwd', 'otp'],
      aal: 2,
      authTime: '2025-02-01T08:00:00.000Z',
    };
    expect(adminUserSessions.parse({ mode: 'refresh', sessions: [session] })).toEqual({
      mode: 'refresh',
      sessions: [session],
    });
    expect(adminUserSessions.parse({ mode: 'legacy-support', sessions: [] })).toEqual({
      mode: 'legacy-support',
      sessions: [],
    });
    expect(adminUserSessions.safeParse({ mode: 'legacy-support', sessions: [session] }).success).toBe(false);
    expect(adminUserSessions.safeParse({ mode: 'refresh', sessions: [{ ...session, aal: 3 }] }).success).toBe(false);
    expect(endedSessions.parse({ mode: 'refresh', ended: 2 })).toEqual({ mode: 'refresh', ended: 2 });
    expect(endedSessions.safeParse({ mode: 'legacy-support', ended: 2 }).success).toBe(false);
  });
});
