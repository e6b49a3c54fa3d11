import { adminControllers } from './admin';
import { createEmailFactorController } from './email/emailFactorController';
import { createFactorController } from './factors/factorController';
import { createChallengeController } from './login-challenge/challengeController';
import { createMeController } from './me/meController';
import { createOpenApiController } from './openapi/openapiController';
import { createPasskeyController } from './passkey/passkeyController';
import { createPhoneController } from './phone-sign-up/phoneController';
import { createSmsFactorController } from './sms-factor/smsFactorController';
import { createTotpController } from './totp/totpController';

export const controllers = {
  challenge: createChallengeController,
  me: createMeController,
  smsFactor: createSmsFactorController,
  totp: createTotpController,
  factor: createFactorController,
  phone: createPhoneController,
  emailFactor: createEmailFactorController,
  passkey: createPasskeyController,
  openapi: createOpenApiController,
  ...adminControllers,
};
