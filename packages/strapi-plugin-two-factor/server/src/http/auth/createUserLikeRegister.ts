import type { Core } from '@strapi/strapi';
import { errors, validateYupSchema, yup } from '@strapi/utils';
import type { Context } from 'koa';
import { validatePasswordRules } from '../../flows/phone/validatePasswordRules';
import { createUserStore, type StrapiUserRow } from '../../platform/stores/userStore';

const ROLE_UID = 'plugin::users-permissions.role';
const ALWAYS_ALLOWED_KEYS = ['username', 'password', 'email'];

export interface AdvancedSettings {
  allow_register?: boolean;
  email_confirmation?: boolean;
  unique_email?: boolean;
  default_role?: string;
}

/** users-permissions' register body rules (`controllers/validation/auth.js`, not exported). */
const registerSchema = (strapi: Core.Strapi) =>
  yup.object({
    email: yup.string().email().required(),
    username: yup.string().required(),
    password: yup
      .string()
      .required()
      .test(async function passwordRules(value) {
        if (value === undefined || value === '') return true;
        try {
          await validatePasswordRules(strapi, value);
          return true;
        } catch (error) {
          return this.createError({ message: (error as Error).message });
        }
      }),
  });

/**
 * What users-permissions' `register` does up to issuing tokens (`controllers/auth.js`): the
 * same allowed fields, validation, conflict checks and `user.add`, so a user the policy
 * sends to enrolment is created exactly as Strapi would, and no session exists yet. Only
 * for the case without email confirmation (with it, Strapi's register issues no token).
 */
export async function createUserLikeRegister(
  strapi: Core.Strapi,
  ctx: Context,
  settings: AdvancedSettings,
): Promise<StrapiUserRow> {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const register = strapi.config.get<{ allowedFields?: unknown } | undefined>('plugin::users-permissions.register');
  const allowedKeys = [
    ...ALWAYS_ALLOWED_KEYS,
    ...(Array.isArray(register?.allowedFields) ? (register.allowedFields as unknown[]).filter(Boolean) : []),
  ].map(String);
  const invalidKeys = Object.keys(body).filter((key) => !allowedKeys.includes(key));
  if (invalidKeys.length > 0) throw new errors.ValidationError(`Invalid parameters: ${invalidKeys.join(', ')}`);
  const params: Record<string, unknown> = {
    ...Object.fromEntries(allowedKeys.filter((key) => key in body).map((key) => [key, body[key]])),
    provider: 'local',
  };
  await validateYupSchema(registerSchema(strapi))(params);

  const role = (await strapi.db.query(ROLE_UID).findOne({ where: { type: settings.default_role } })) as {
    id: number;
  } | null;
  if (role === null) throw new errors.ApplicationError('Impossible to find the default role');

  const email = String(params.email);
  const username = String(params.username);
  const users = createUserStore(strapi);
  if ((await users.countClaiming({ email, username }, { provider: 'local' })) > 0) {
    throw new errors.ApplicationError('Email or Username are already taken');
  }
  if (settings.unique_email === true && (await users.countClaiming({ email, username })) > 0) {
    throw new errors.ApplicationError('Email or Username are already taken');
  }
  // `confirmed: !email_confirmation`, as Strapi sets it; only called with confirmation off.
  return users.create({ ...params, role: role.id, email: email.toLowerCase(), username, confirmed: true });
}
