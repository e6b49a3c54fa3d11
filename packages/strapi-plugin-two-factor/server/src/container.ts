import type { Core } from '@strapi/strapi';
import { createAccountStateService } from './account/accountStateService';
import { createAdminEventService } from './admin/adminEventService';
import { createAdminSessionService } from './admin/adminSessionService';
import { createAdminUserService } from './admin/adminUserService';
import { createSessionService } from './assurance/sessionService';
import { createClockService } from './clock/clockService';
import { createSecretsService } from './crypto/secretsService';
import { createEmailDeliveryService } from './email/emailDeliveryService';
import { createEmailFactorService } from './email/emailFactorService';
import { createEnrolmentService } from './enrolment/enrolmentService';
import { createEventService } from './events/eventService';
import { createFactorService } from './factors/factorService';
import { createChallengeService } from './login-challenge/challengeService';
import { createLoginFlowService } from './login-challenge/loginFlowService';
import { createMaintenanceService } from './maintenance/maintenanceService';
import { createMeService } from './me/meService';
import { createNotificationService } from './notifications/notificationService';
import { createPasskeyService } from './passkey/passkeyService';
import { createPhoneLoginService } from './phone-sign-up/phoneLoginService';
import { createPhoneSignUpService } from './phone-sign-up/phoneSignUpService';
import { createRateLimitService } from './rate-limits/rateLimitService';
import { createRecoveryCodeService } from './recovery-codes/recoveryCodeService';
import { createEnforcementService } from './settings/enforcementService';
import { createSettingsService } from './settings/settingsService';
import { createSmsDeliveryService } from './sms/smsDeliveryService';
import { createSmsFactorService } from './sms-factor/smsFactorService';
import { createStepUpService } from './step-up/stepUpService';
import { createTotpFactorService } from './totp/totpFactorService';
import { createTrustedDeviceService } from './trusted-devices/trustedDeviceService';

/**
 * Builds every service of the plugin once, in dependency order, each given what it uses: the
 * only place where services meet. No service looks another up by name; Strapi's `services`
 * map hands out these instances (`services.ts`).
 */
export function createContainer(strapi: Core.Strapi) {
  // Platform: time, configuration, secrets, the outside world.
  const clock = createClockService();
  const events = createEventService({ strapi, clock });
  const settings = createSettingsService({ strapi, events });
  const enforcement = createEnforcementService({ strapi, settings });
  const secrets = createSecretsService({ strapi, settings });
  const rateLimits = createRateLimitService({ strapi, settings });
  const sms = createSmsDeliveryService({ strapi, rateLimits, settings });
  const email = createEmailDeliveryService({ strapi, rateLimits, settings });

  // Core: the account's state, its factors and the challenges that judge them.
  const accountState = createAccountStateService({ strapi, clock, settings });
  const trustedDevices = createTrustedDeviceService({ strapi, clock, settings });
  const sessions = createSessionService({ strapi, settings });
  const recoveryCodes = createRecoveryCodeService({ strapi, clock, secrets });
  const factors = createFactorService({ strapi, clock, events, enforcement, recoveryCodes });
  const notifications = createNotificationService({ strapi, factors, settings, sms });
  const totp = createTotpFactorService({ strapi, accountState, clock, factors, notifications, secrets, settings });
  const challenges = createChallengeService({
    strapi,
    accountState,
    clock,
    events,
    factors,
    notifications,
    recoveryCodes,
    secrets,
    settings,
    sms,
    totp,
  });

  // Factors a user enrols.
  const smsFactor = createSmsFactorService({ strapi, challenges, clock, factors, settings, sms });
  const emailFactor = createEmailFactorService({ strapi, challenges, clock, email, factors, settings });
  const passkeys = createPasskeyService({ strapi, challenges, clock, events, factors, secrets, settings });

  // Flows: what a request does, start to end.
  const loginFlow = createLoginFlowService({
    strapi,
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
  const me = createMeService({ strapi, clock, factors, enforcement, recoveryCodes });
  const phoneLogin = createPhoneLoginService({ strapi, challenges, clock, settings, sms });
  const phoneSignUp = createPhoneSignUpService({ strapi, challenges, clock, factors, rateLimits, settings, sms });
  const adminEvents = createAdminEventService({ strapi, clock, settings });
  const adminUsers = createAdminUserService({ strapi, accountState, clock, events, notifications, sessions });
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
