/** Bodies of the plugin's admin API (`server/src/admin`), as the admin panel reads them. */

export type PolicyMode = 'off' | 'optional' | 'required';
export type FactorMethod = 'sms' | 'totp' | 'email';

export interface Policy {
  mode: PolicyMode;
  requiredRoles: string[];
  allowedMethods: FactorMethod[];
  codeLength: number;
  codeLifetimeSeconds: number;
  maxAttemptsPerChallenge: number;
  maxConsecutiveFailures: number;
  lockoutSeconds: number;
  resendCooldownSeconds: number;
  maxSendsPerChallenge: number;
  allowedCountries: string[];
  smsTemplate: string;
}

export type NumericPolicyField =
  | 'codeLength'
  | 'codeLifetimeSeconds'
  | 'maxAttemptsPerChallenge'
  | 'maxConsecutiveFailures'
  | 'lockoutSeconds'
  | 'resendCooldownSeconds'
  | 'maxSendsPerChallenge';

export interface SettingsResponse {
  policy: Policy;
  roles: { type: string; name: string }[];
  /** Bounds of the numeric fields, straight from the server's schema. */
  bounds: Partial<Record<NumericPolicyField, { min: number; max: number }>>;
  /** False when the app has no email provider: email codes would not arrive. */
  emailProviderConfigured: boolean;
}

export interface UpdateSettingsResponse {
  policy: Policy;
  relaxed: string[];
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface Paged<Row> {
  results: Row[];
  pagination: Pagination;
}

/** A user's passkey in the Users table: its name, whether it is synced, its last use. */
export interface AdminPasskey {
  id: number;
  label: string | null;
  backedUp: boolean;
  createdAt: string | null;
  lastUsedAt: string | null;
}

export interface AdminUserStatus {
  id: number;
  username: string | null;
  email: string | null;
  blocked: boolean;
  methods: string[];
  passkeys: AdminPasskey[];
  lastUsedAt: string | null;
  lockedUntil: string | null;
  consecutiveFailures: number;
  recoveryCodesRemaining: number;
}

export interface AdminEvent {
  id: number;
  type: string;
  userId: number | null;
  username: string | null;
  actor: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** One live sign-in of a user (`GET /two-factor/users/:id/sessions`). */
export interface AdminUserSession {
  /** The first characters of the session id, for telling rows apart; never the whole id. */
  idPrefix: string;
  deviceName: string | null;
  signedInAt: string | null;
  lastRefreshedAt: string | null;
  expiresAt: string;
  absoluteExpiresAt: string | null;
  amr: string[];
  aal: 1 | 2;
  /** When a factor was last proven; `null` for a sign-in the plugin did not record. */
  authTime: string | null;
}

/** In legacy-support jwt mode the server keeps no sessions: tokens live until they expire. */
export type AdminUserSessions =
  | { mode: 'refresh'; sessions: AdminUserSession[] }
  | { mode: 'legacy-support'; sessions: [] };

export type EndedSessions = { mode: 'refresh' | 'legacy-support'; ended: number };
