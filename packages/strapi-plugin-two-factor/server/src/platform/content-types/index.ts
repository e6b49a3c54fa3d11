import { hiddenContentType } from './hiddenContentType';

/**
 * A second factor a user has or is enrolling: an SMS number, an authenticator app, an email
 * or a passkey (WebAuthn credential; several per user).
 */
const factor = hiddenContentType({
  singularName: 'factor',
  pluralName: 'factors',
  collectionName: 'two_factor_factors',
  displayName: 'Two-factor factor',
  attributes: {
    userId: { type: 'integer', required: true },
    type: { type: 'enumeration', enum: ['sms', 'totp', 'email', 'passkey'], required: true },
    status: { type: 'enumeration', enum: ['pending', 'active'], required: true, default: 'pending' },
    phone: { type: 'string' },
    // The number this factor holds: set while an SMS factor is active or a phone sign-up is
    // pending, so a number belongs to one user at a time. A unique index decides races
    // (NULLs never collide on SQLite, PostgreSQL or MySQL); pending enrolments leave it NULL.
    claimedPhone: { type: 'string' },
    secretCiphertext: { type: 'text', private: true },
    lastUsedTotpStep: { type: 'biginteger', private: true },
    label: { type: 'string' },
    lastUsedAt: { type: 'datetime' },
    // Passkeys: the credential ID (base64url) is unique across users; NULL for other types.
    credentialId: { type: 'string' },
    // COSE public key, base64url. Not secret, but never sent to clients: nothing needs it.
    publicKey: { type: 'text', private: true },
    // The authenticator's signature counter (0 for authenticators that keep none, as most
    // synced passkeys do); an assertion must raise it when either side is not 0.
    signCount: { type: 'biginteger' },
    transports: { type: 'json' },
    backedUp: { type: 'boolean' },
    aaguid: { type: 'string' },
  },
  indexes: [
    { name: 'two_factor_factors_claimed_phone_uq', columns: ['claimed_phone'], type: 'unique' },
    { name: 'two_factor_factors_credential_uq', columns: ['credential_id'], type: 'unique' },
    { name: 'two_factor_factors_user_idx', columns: ['user_id'] },
  ],
});

/** One attempt at a second step: login, sign-up, phone login, enrolment or step-up. */
const challenge = hiddenContentType({
  singularName: 'challenge',
  pluralName: 'challenges',
  collectionName: 'two_factor_challenges',
  displayName: 'Two-factor challenge',
  attributes: {
    tokenHash: { type: 'string', required: true, private: true },
    userId: { type: 'integer' },
    factorId: { type: 'integer' },
    purpose: {
      type: 'enumeration',
      enum: ['login', 'signup', 'phone-login', 'enrol', 'step-up', 'passkey-register', 'passkey-login'],
      required: true,
    },
    method: { type: 'string' },
    phone: { type: 'string' },
    codeHash: { type: 'string', private: true },
    codeExpiresAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', required: true },
    attempts: { type: 'integer', required: true, default: 0 },
    sends: { type: 'integer', required: true, default: 0 },
    lastSentAt: { type: 'datetime' },
    consumedAt: { type: 'datetime' },
    deviceId: { type: 'string' },
    // What proved the sign-in's first step (`pwd` or `fed` for a provider), for its `amr`.
    firstFactor: { type: 'string' },
    // The WebAuthn challenge (base64url, 32 random bytes) this row stands for, and when it
    // stops being accepted (at most 5 minutes). Kept as issued: it is a public nonce the
    // client echoes in clientDataJSON, useless without the authenticator's private key, and
    // single use through this row's `consumedAt`.
    passkeyChallenge: { type: 'string' },
    passkeyChallengeExpiresAt: { type: 'datetime' },
  },
  indexes: [
    { name: 'two_factor_challenges_token_uq', columns: ['token_hash'], type: 'unique' },
    { name: 'two_factor_challenges_user_idx', columns: ['user_id'] },
    { name: 'two_factor_challenges_factor_idx', columns: ['factor_id'] },
    { name: 'two_factor_challenges_phone_idx', columns: ['phone'] },
  ],
});

const recoveryCode = hiddenContentType({
  singularName: 'recovery-code',
  pluralName: 'recovery-codes',
  collectionName: 'two_factor_recovery_codes',
  displayName: 'Two-factor recovery code',
  attributes: {
    userId: { type: 'integer', required: true },
    codeHash: { type: 'string', required: true, private: true },
    usedAt: { type: 'datetime' },
  },
  indexes: [{ name: 'two_factor_recovery_codes_user_idx', columns: ['user_id'] }],
});

const trustedDevice = hiddenContentType({
  singularName: 'trusted-device',
  pluralName: 'trusted-devices',
  collectionName: 'two_factor_trusted_devices',
  displayName: 'Two-factor trusted device',
  attributes: {
    userId: { type: 'integer', required: true },
    tokenHash: { type: 'string', required: true, private: true },
    expiresAt: { type: 'datetime', required: true },
    lastUsedAt: { type: 'datetime' },
    userAgent: { type: 'string' },
  },
  indexes: [
    { name: 'two_factor_trusted_devices_token_uq', columns: ['token_hash'], type: 'unique' },
    { name: 'two_factor_trusted_devices_user_idx', columns: ['user_id'] },
  ],
});

/** Per-user counters that outlive a single challenge. */
const accountState = hiddenContentType({
  singularName: 'account-state',
  pluralName: 'account-states',
  collectionName: 'two_factor_account_states',
  displayName: 'Two-factor account state',
  attributes: {
    userId: { type: 'integer', required: true },
    /** Failed second steps since the last success: only settled failures lock. */
    consecutiveFailures: { type: 'integer', required: true, default: 0 },
    /** Those failures plus the attempts being judged now: what the cap reserves against. */
    reservedAttempts: { type: 'integer', default: 0 },
    lockedUntil: { type: 'datetime' },
    preferredMethod: { type: 'string' },
  },
  indexes: [{ name: 'two_factor_account_states_user_uq', columns: ['user_id'], type: 'unique' }],
});

/** Audit log. Never holds a code, a secret or a token. */
const event = hiddenContentType({
  singularName: 'event',
  pluralName: 'events',
  collectionName: 'two_factor_events',
  displayName: 'Two-factor event',
  attributes: {
    type: { type: 'string', required: true },
    userId: { type: 'integer' },
    actor: { type: 'string' },
    ip: { type: 'string' },
    details: { type: 'json' },
  },
  indexes: [
    { name: 'two_factor_events_created_idx', columns: ['created_at'] },
    { name: 'two_factor_events_user_idx', columns: ['user_id'] },
  ],
});

export default {
  factor,
  challenge,
  'recovery-code': recoveryCode,
  'trusted-device': trustedDevice,
  'account-state': accountState,
  event,
};
