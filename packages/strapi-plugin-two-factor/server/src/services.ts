import { createAccountStateService } from './account/accountStateService';
import { adminServices } from './admin';
import { createClockService } from './clock/clockService';
import { createSecretsService } from './crypto/secretsService';
import { createEmailDeliveryService } from './email/emailDeliveryService';
import { createEmailFactorService } from './email/emailFactorService';
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
import { createSettingsService } from './settings/settingsService';
import { createSmsDeliveryService } from './sms/smsDeliveryService';
import { createSmsFactorService } from './sms-factor/smsFactorService';
import { createStepUpService } from './step-up/stepUpService';
import { createTotpFactorService } from './totp/totpFactorService';
import { createTrustedDeviceService } from './trusted-devices/trustedDeviceService';

/** The plugin's services by name; `getService` is typed from this map. */
export const services = {
  settings: createSettingsService,
  clock: createClockService,
  secrets: createSecretsService,
  accountState: createAccountStateService,
  factors: createFactorService,
  challenges: createChallengeService,
  sms: createSmsDeliveryService,
  loginFlow: createLoginFlowService,
  smsFactor: createSmsFactorService,
  me: createMeService,
  totp: createTotpFactorService,
  recoveryCodes: createRecoveryCodeService,
  stepUp: createStepUpService,
  events: createEventService,
  notifications: createNotificationService,
  phoneSignUp: createPhoneSignUpService,
  phoneLogin: createPhoneLoginService,
  maintenance: createMaintenanceService,
  ...adminServices,
  trustedDevices: createTrustedDeviceService,
  rateLimits: createRateLimitService,
  email: createEmailDeliveryService,
  emailFactor: createEmailFactorService,
  passkeys: createPasskeyService,
};

export type TwoFactorServices = {
  [Name in keyof typeof services]: ReturnType<(typeof services)[Name]>;
};
