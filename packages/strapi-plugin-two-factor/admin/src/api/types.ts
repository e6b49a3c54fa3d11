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
