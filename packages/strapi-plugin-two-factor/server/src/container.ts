import type { Core } from '@strapi/strapi';
import { createAccountStateService } from './core/account/accountStateService';
import { createSessionService } from './core/assurance/sessionService';
import { createChallengeService } from './core/challenges/challengeService';
import { createEmailDeliveryService } from './core/delivery/emailDeliveryService';
import { createSmsDeliveryService } from './core/delivery/smsDeliveryService';
import { createEventService } from './core/events/eventService';
import { createFactorService } from './core/factors/factorService';
import { createNotificationService } from './core/notifications/notificationService';
import { createRateLimitService } from './core/rate-limits/rateLimitService';
import { createRecoveryCodeService } from './core/recovery-codes/recoveryCodeService';
import { createSecretsService } from './core/secrets/secretsService';
import { createEnforcementService } from './core/settings/enforcementService';
import { createSettingsService } from './core/settings/settingsService';
import { createTrustedDeviceService } from './core/trusted-devices/trustedDeviceService';
import { createCodeVerifiers } from './factors/codeVerifiers';
import { createEmailFactorService } from './factors/email/emailFactorService';
import { createPasskeyService } from './factors/passkey/passkeyService';
import { createSmsFactorService } from './factors/sms/smsFactorService';
import { createTotpFactorService } from './factors/totp/totpFactorService';
import { createAdminEventService } from './flows/admin/adminEventService';
import { createAdminSessionService } from './flows/admin/adminSessionService';
import { createAdminUserService } from './flows/admin/adminUserService';
import { createEnrolmentService } from './flows/enrolment/enrolmentService';
import { createMaintenanceService } from './flows/maintenance/maintenanceService';
import { createMeService } from './flows/me/meService';
import { createPhoneLoginService } from './flows/phone/phoneLoginService';
import { createPhoneSignUpService } from './flows/phone/phoneSignUpService';
import { createLoginFlowService } from './flows/sign-in/loginFlowService';
import { createStepUpService } from './flows/step-up/stepUpService';
import { createClockService } from './platform/clock/clockService';
import { createAccountStateStore } from './platform/stores/accountStateStore';
import { createChallengeStore } from './platform/stores/challengeStore';
import { createEventStore } from './platform/stores/eventStore';
import { createFactorStore } from './platform/stores/factorStore';
import { createRecoveryCodeStore } from './platform/stores/recoveryCodeStore';
import { createTrustedDeviceStore } from './platform/stores/trustedDeviceStore';
import { createUserStore } from './platform/stores/userStore';

/**
 * Builds every service of the plugin once, in dependency order, each given what it uses: the
 * only place where services meet. No service looks another up by name; Strapi's `services`
 * map hands out these instances (`services.ts`).
 */
export function createContainer(strapi: Core.Strapi) {
  // Platform: time, configuration, secrets, the outside world, and the tables.
  const clock = createClockService();
  const accountStateStore = createAccountStateStore(strapi);
  const trustedDeviceStore = createTrustedDeviceStore(strapi);
  const recoveryCodeStore = createRecoveryCodeStore(strapi);
  const eventStore = createEventStore(strapi);
  const factorStore = createFactorStore(strapi);
  const challengeStore = createChallengeStore(strapi);
  // Strapi's users table, which the plugin reads and writes but does not own.
  const users = createUserStore(strapi);
  const events = createEventService({ strapi, clock, store: eventStore });
  const settings = createSettingsService({ strapi, events });
  const enforcement = createEnforcementService({ settings, users });
  const secrets = createSecretsService({ strapi, settings });
  const rateLimits = createRateLimitService({ strapi, settings });
  const sms = createSmsDeliveryService({ strapi, rateLimits, settings });
  const email = createEmailDeliveryService({ strapi, rateLimits, settings });

  // Core: the account's state, its factors and the challenges that judge them.
  const accountState = createAccountStateService({ store: accountStateStore, clock, settings });
  const trustedDevices = createTrustedDeviceService({ store: trustedDeviceStore, clock, settings });
  const sessions = createSessionService({ strapi, settings });
  const recoveryCodes = createRecoveryCodeService({ store: recoveryCodeStore, clock, secrets });
  const factors = createFactorService({
    store: factorStore,
    clock,
    events,
    enforcement,
    recoveryCodes,
    trustedDeviceStore,
    challengeStore,
  });
  const notifications = createNotificationService({ strapi, factors, settings, sms, users });
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
  // A verifier per method, registered once: the challenge service knows none by name.
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

  // Factors a user enrols.
  const smsFactor = createSmsFactorService({ challenges, clock, factors, factorStore, settings, sms });
  const emailFactor = createEmailFactorService({
    challenges,
    clock,
    email,
    factors,
    factorStore,
    settings,
    users,
  });
  const passkeys = createPasskeyService({
    strapi,
    challenges,
    clock,
    events,
    factors,
    factorStore,
    secrets,
    settings,
    users,
  });

  // Flows: what a request does, start to end.
  const loginFlow = createLoginFlowService({
    strapi,
    users,
    enforcement,
    accountState,
    challenges,
    clock,
    email,
    emailFactor,
    events,
    factors,
    passkeys,
    recoveryCodes,
    settings,
    sms,
    trustedDevices,
  });
  const stepUp = createStepUpService({
    strapi,
    challenges,
    clock,
    email,
    emailFactor,
    factors,
    passkeys,
    recoveryCodes,
    settings,
    sms,
  });
  const enrolment = createEnrolmentService({
    strapi,
    challenges,
    clock,
    events,
    factors,
    notifications,
    sessions,
    stepUp,
  });
  const me = createMeService({ clock, factors, enforcement, recoveryCodes, trustedDeviceStore });
  const phoneLogin = createPhoneLoginService({ users, challenges, clock, factorStore, settings, sms });
  const phoneSignUp = createPhoneSignUpService({
    strapi,
    challenges,
    clock,
    factors,
    factorStore,
    rateLimits,
    settings,
    sms,
    users,
  });
  const adminEvents = createAdminEventService({ clock, settings, store: eventStore, users });
  const adminUsers = createAdminUserService({
    strapi,
    accountState,
    accountStateStore,
    challenges,
    clock,
    events,
    factorStore,
    notifications,
    recoveryCodeStore,
    sessions,
    trustedDeviceStore,
    users,
  });
  const adminSessions = createAdminSessionService({ strapi, adminUsers, events });
  const maintenance = createMaintenanceService({ strapi, adminEvents, phoneSignUp, settings });

  return {
    clock,
    events,
    settings,
    enforcement,
    secrets,
    rateLimits,
    sms,
    email,
    accountState,
    trustedDevices,
    sessions,
    recoveryCodes,
    factors,
    notifications,
    totp,
    challenges,
    smsFactor,
    emailFactor,
    passkeys,
    loginFlow,
    stepUp,
    enrolment,
    me,
    phoneLogin,
    phoneSignUp,
    adminEvents,
    adminUsers,
    adminSessions,
    maintenance,
  };
}

export type TwoFactorServices = ReturnType<typeof createContainer>;

const containers = new WeakMap<Core.Strapi, TwoFactorServices>();

/** The services built for this Strapi instance (one set per instance, built on first use). */
export function servicesOf(strapi: Core.Strapi): TwoFactorServices {
  let built = containers.get(strapi);
  if (built === undefined) {
    built = createContainer(strapi);
    containers.set(strapi, built);
  }
  return built;
}
