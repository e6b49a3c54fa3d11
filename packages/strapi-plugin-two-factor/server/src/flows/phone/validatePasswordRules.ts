import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const MAX_PASSWORD_BYTES = 72;

interface ValidationRules {
  validatePassword?: (password: string) => boolean | Promise<boolean>;
}

/** users-permissions' password rules for sign-up: bcrypt's 72-byte limit and the app's own check. */
export async function validatePasswordRules(strapi: Core.Strapi, password: string): Promise<void> {
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    throw new errors.ValidationError('Password must be less than 73 bytes');
  }
  const rules = strapi.config.get<ValidationRules | undefined>('plugin::users-permissions.validationRules');
  if (typeof rules?.validatePassword !== 'function') return;
  let valid: boolean;
  try {
    valid = await rules.validatePassword(password);
  } catch (error) {
    throw new errors.ValidationError((error as Error).message || 'An error occurred.');
  }
  if (!valid) throw new errors.ValidationError('Password validation failed.');
}
