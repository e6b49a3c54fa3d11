import { z } from 'zod';
import { secondFactorMethod } from './methods.js';

/**
 * The bodies of the plugin's admin API (`/two-factor/…`, the admin panel's own prefix, no
 * `/api`; Strapi admin tokens only). The admin panel reads them, the server answers them, the
 * tests check them: each is declared here once. They are not part of the content API's
 * route table nor of its OpenAPI document.
 */

/** Dates travel as ISO 8601 strings. */
const isoDate = z.string();

/** `off`: nobody gets a second step; `optional`: those with a factor do; `required`: everyone. */
export const policyMode = z.enum(['off', 'optional', 'required']);
/** The methods an admin may allow users to enrol and answer with. */
export const policyMethod = secondFactorMethod.extract(['sms', 'totp', 'email']);
/** The policy's numeric options: the settings answer carries the bounds of each. */
export const numericPolicyField = z.enum([
  'codeLength',
  'codeLifetimeSeconds',
  'maxAttemptsPerChallenge',
  'maxConsecutiveFailures',
  'lockoutSeconds',
  'resendCooldownSeconds',
  'maxSendsPerChallenge',
]);

/**
 * The part of the configuration an admin changes at run time: the settings answer's `policy`
 * and the whole body of `PUT /two-factor/settings`. Its shape only: the server checks the
 * bounds (which `GET /two-factor/settings` answers in `bounds`), that `smsTemplate` holds
 * `{code}`, and that the resend cooldown is shorter than the code's lifetime.
 */
export const adminPolicy = z.object({
  mode: policyMode,
  /** users-permissions role types (e.g. `authenticated`) whose users must enrol when mode is `optional`. */
  requiredRoles: z.array(z.string()),
  allowedMethods: z.array(policyMethod),
  codeLength: z.number().int(),
  codeLifetimeSeconds: z.number().int(),
  maxAttemptsPerChallenge: z.number().int(),
  maxConsecutiveFailures: z.number().int(),
  lockoutSeconds: z.number().int(),
  resendCooldownSeconds: z.number().int(),
  maxSendsPerChallenge: z.number().int(),
  /** ISO 3166-1 alpha-2 codes; empty: every country. */
  allowedCountries: z.array(z.string()),
  smsTemplate: z.string(),
});

/** A users-permissions role (never the Public role): `type` is what `requiredRoles` holds. */
export const adminRole = z.object({ type: z.string(), name: z.string() });

export const policyBound = z.object({ min: z.number(), max: z.number() });

/** `GET /two-factor/settings`. */
export const adminSettingsAnswer = z.object({
  policy: adminPolicy,
  roles: z.array(adminRole),
  /** Bounds of the numeric fields, straight from the server's schema. */
  bounds: z.partialRecord(numericPolicyField, policyBound),
  /** False when the app has no email provider: email codes would not arrive. */
  emailProviderConfigured: z.boolean(),
});

/** `PUT /two-factor/settings`: the whole policy. */
export const adminSettingsUpdateBody = adminPolicy;

/** `PUT /two-factor/settings`: the policy now in force, and the options the change weakened (logged). */
export const adminSettingsUpdateAnswer = z.object({
  policy: adminPolicy,
  relaxed: z.array(z.string()),
});

/** `POST /two-factor/settings/preview-sms`: the text an SMS would carry, with a sample code. */
export const smsPreviewAnswer = z.object({ text: z.string() });

/** Strapi's own pagination shape (`meta.pagination` of the Content API). */
export const pagination = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
});

/** One page of a list: `{ results, pagination }`. */
export function pageOf<Row extends z.ZodType>(row: Row) {
  return z.object({ results: z.array(row), pagination });
}

/** A user's passkey as an admin sees it: never the credential ID or the public key. */
export const adminPasskey = z.object({
  id: z.number().int(),
  label: z.string().nullable(),
  /** Synced by its provider (survives the loss of a device), or bound to one authenticator. */
  backedUp: z.boolean(),
  createdAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
});

/**
 * One row of the admin panel's Users table; also the answer of
 * `POST /two-factor/users/:id/reset` and `POST /two-factor/users/:id/unlock`.
 */
export const adminUserStatus = z.object({
  id: z.number().int(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  blocked: z.boolean(),
  /** Types of the active factors (`sms`, `totp`, `email`, `passkey`), each once. */
  methods: z.array(z.string()),
  /** The active passkeys, oldest first (a user may hold several). */
  passkeys: z.array(adminPasskey),
  /** The latest use of any factor. */
  lastUsedAt: isoDate.nullable(),
  /** Set only while the account is locked out. */
  lockedUntil: isoDate.nullable(),
  consecutiveFailures: z.number().int(),
  recoveryCodesRemaining: z.number().int(),
});

/** `GET /two-factor/users?page=&pageSize=&search=`, by id. */
export const adminUsersPage = pageOf(adminUserStatus);

/** One audit log entry as the admin panel shows it. */
export const adminEvent = z.object({
  id: z.number().int(),
  type: z.string(),
  userId: z.number().int().nullable(),
  /** The user's current username; `null` once the user is gone. */
  username: z.string().nullable(),
  /** The admin who acted, for admin actions. */
  actor: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});

/** `GET /two-factor/events?userId=&type=&from=&to=&page=&pageSize=`, newest first. */
export const adminEventsPage = pageOf(adminEvent);

/** One live sign-in of a user, as the admin panel shows it. */
export const adminUserSession = z.object({
  /** The first characters of the live session id: an on-screen label, not usable to act on it. */
  idPrefix: z.string(),
  /** Strapi's device name, read from the user agent at sign-in (`metadata.deviceName`). */
  deviceName: z.string().nullable(),
  /** When the user signed in (`metadata.loginAt`, kept across refreshes). */
  signedInAt: isoDate.nullable(),
  /** The last refresh: Strapi re-creates the live record on each one. */
  lastRefreshedAt: isoDate.nullable(),
  /** Idle expiry: without a refresh before then, the session ends. */
  expiresAt: isoDate,
  /** The session ends then whatever the refreshes. */
  absoluteExpiresAt: isoDate.nullable(),
  /** How it was signed in; Strapi's own sessions (no factor) read as a password sign-in. */
  amr: z.array(z.string()),
  aal: z.union([z.literal(1), z.literal(2)]),
  /** When a factor was last proven; `null` when the plugin did not record the sign-in. */
  authTime: isoDate.nullable(),
});

/** users-permissions' `jwtManagement`: server sessions with refresh tokens, or bare jwts. */
export const jwtManagementMode = z.enum(['refresh', 'legacy-support']);

/**
 * `GET /two-factor/users/:id/sessions`, newest refresh first. Legacy-support jwts have no
 * server session: they live until they expire.
 */
export const adminUserSessions = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('refresh'), sessions: z.array(adminUserSession) }),
  z.object({ mode: z.literal('legacy-support'), sessions: z.tuple([]) }),
]);

/** `POST /two-factor/users/:id/sessions/end`: how many sessions ended (none without server sessions). */
export const endedSessions = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('refresh'), ended: z.number().int().nonnegative() }),
  z.object({ mode: z.literal('legacy-support'), ended: z.literal(0) }),
]);

export type PolicyMode = z.infer<typeof policyMode>;
export type PolicyMethod = z.infer<typeof policyMethod>;
export type NumericPolicyField = z.infer<typeof numericPolicyField>;
export type AdminPolicy = z.infer<typeof adminPolicy>;
export type AdminRole = z.infer<typeof adminRole>;
export type PolicyBound = z.infer<typeof policyBound>;
export type AdminSettingsAnswer = z.infer<typeof adminSettingsAnswer>;
export type AdminSettingsUpdateBody = z.input<typeof adminSettingsUpdateBody>;
export type AdminSettingsUpdateAnswer = z.infer<typeof adminSettingsUpdateAnswer>;
export type SmsPreviewAnswer = z.infer<typeof smsPreviewAnswer>;
export type Pagination = z.infer<typeof pagination>;
/** One page of `Row`s, as `pageOf(row)` parses it. */
export interface Page<Row> {
  results: Row[];
  pagination: Pagination;
}
export type AdminPasskey = z.infer<typeof adminPasskey>;
export type AdminUserStatus = z.infer<typeof adminUserStatus>;
export type AdminUsersPage = z.infer<typeof adminUsersPage>;
export type AdminEvent = z.infer<typeof adminEvent>;
export type AdminEventsPage = z.infer<typeof adminEventsPage>;
export type AdminUserSession = z.infer<typeof adminUserSession>;
export type JwtManagementMode = z.infer<typeof jwtManagementMode>;
export type AdminUserSessions = z.infer<typeof adminUserSessions>;
export type EndedSessions = z.infer<typeof endedSessions>;
