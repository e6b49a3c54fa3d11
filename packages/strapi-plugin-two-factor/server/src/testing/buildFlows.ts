import type { Core } from '@strapi/strapi';
import { createAccountStateService } from '../core/account/accountStateService';
import { createChallengeService } from '../core/challenges/challengeService';
import type { SmsDeliveryService } from '../core/delivery/smsDeliveryService';
import { createEventService } from '../core/events/eventService';
import { createFactorService } from '../core/factors/factorService';
import type { NotificationService } from '../core/notifications/notificationService';
import { createRecoveryCodeService } from '../core/recovery-codes/recoveryCodeService';
import type { SecretsService } from '../core/secrets/secretsService';
import type { EnforcementService } from '../core/settings/enforcementService';
import { createCodeVerifiers } from '../factors/codeVerifiers';
import { createSmsFactorService } from '../factors/sms/smsFactorService';
import { createTotpFactorService } from '../factors/totp/totpFactorService';
import { deriveSecretKeys } from '../platform/crypto/deriveSecretKeys';
import { createMemoryAccountStateStore } from '../platform/stores/memory/memoryAccountStateStore';
import { createMemoryChallengeStore } from '../platform/stores/memory/memoryChallengeStore';
import { createMemoryEventStore } from '../platform/stores/memory/memoryEventStore';
import { createMemoryFactorStore } from '../platform/stores/memory/memoryFactorStore';
import { createMemoryRecoveryCodeStore } from '../platform/stores/memory/memoryRecoveryCodeStore';
import { createMemoryTrustedDeviceStore } from '../platform/stores/memory/memoryTrustedDeviceStore';
import { createMemoryUserStore } from '../platform/stores/memory/memoryUserStore';
import { createFakeClock, createSettingsStub } from './testDoubles';

/** The user every flow below signs in. */
export const USER = 42;

/**
 * The SMS provider's side, recorded: codes this plugin made (a provider such as Twilio
 * Messaging, not Verify), each send kept for the test to read, budgets never exceeded.
 */
function createRecordingSms(): SmsDeliveryService & { sent: Array<{ to: string; code: string }> } {
  const sent: Array<{ to: string; code: string }> = [];
  const record = async (to: string, code: string): Promise<void> => {
    sent.push({ to, code });
  };
  return {
    sent,
    providerChecksCodes: () => false,
    sendCodeNow: record,
    sendCodeLater: record,
    enqueueCode: (to, code) => void record(to, code),
    sendNoticeLater: async () => undefined,
    chargeBudgets: async () => undefined,
    checkProviderCode: async () => {
      throw new Error('This provider makes no codes of its own');
    },
    drain: async () => undefined,
    close: async () => undefined,
  };
}

/** Strapi as the event service sees it outside a request: no request context, no IP. */
const OUTSIDE_A_REQUEST = { requestContext: { get: () => undefined } } as unknown as Core.Strapi;

/**
 * The challenge flows built as the container builds them, on in-memory stores and a clock
 * that stands still until moved: judging a code, attempt caps, single use, lock-out, send
 * budgets, enrolment. The outside world is recorded, not reached: the SMS provider (its sends
 * are kept for the test to read) and the owner's notifications.
 */
export function buildFlows(
  overrides: Record<string, unknown> = {},
  { commitIsCostly = true, updateReturnsRows = true }: { commitIsCostly?: boolean; updateReturnsRows?: boolean } = {},
) {
  const clock = createFakeClock();
  const settings = createSettingsStub(overrides);
  const keys = deriveSecretKeys('a unit-test encryption key of enough length');
  const secrets: SecretsService = { codeHmacKey: () => keys.codeHmacKey, encryptionKey: () => keys.encryptionKey };
  const eventStore = createMemoryEventStore();
  const events = createEventService({ strapi: OUTSIDE_A_REQUEST, clock, store: eventStore });
  const accountState = createAccountStateService({ store: createMemoryAccountStateStore(), clock, settings });
  const recoveryCodes = createRecoveryCodeService({ store: createMemoryRecoveryCodeStore(), clock, secrets });
  const factorStore = createMemoryFactorStore();
  const enforcement: EnforcementService = { isRequiredFor: async () => false, isRequiredForRole: () => false };
  const challengeStore = createMemoryChallengeStore({ commitIsCostly, updateReturnsRows });
  const factors = createFactorService({
    challengeStore,
    store: factorStore,
    trustedDeviceStore: createMemoryTrustedDeviceStore(),
    clock,
    events,
    enforcement,
    recoveryCodes,
  });
  const notices: Array<{ userId: number; what: string }> = [];
  const notifications: NotificationService = {
    async securityChange(userId, what) {
      notices.push({ userId, what });
    },
  };
  const sms = createRecordingSms();
  // The users table is read only to name the account in an otpauth URI: not in these flows.
  const users = createMemoryUserStore();
  const totp = createTotpFactorService({
    accountState,
    clock,
    factors,
    factorStore,
    notifications,
    secrets,
    settings,
    users,
  });
  const verifiers = createCodeVerifiers({ sms, factors, totp, recoveryCodes, events });
  const challenges = createChallengeService({
    store: challengeStore,
    verifiers,
    accountState,
    clock,
    events,
    notifications,
    secrets,
    settings,
  });
  const smsFactor = createSmsFactorService({ challenges, clock, factors, settings, sms, factorStore });
  return { clock, settings, challenges, challengeStore, eventStore, factors, recoveryCodes, smsFactor, sms, notices };
}

export type Flows = ReturnType<typeof buildFlows>;
