import { adminControllers } from '../admin';
import { createChallengeController } from './challengeController';
import { createEmailFactorController } from './emailFactorController';
import { createFactorController } from './factorController';
import { createMeController } from './meController';
import { createOpenApiController } from './openapiController';
import { createPasskeyController } from './passkeyController';
import { createPhoneController } from './phoneController';
import { createSmsFactorController } from './smsFactorController';
import { createTotpController } from './totpController';

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
