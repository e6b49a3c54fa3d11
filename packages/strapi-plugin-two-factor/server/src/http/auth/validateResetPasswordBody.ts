import type { Core } from '@strapi/strapi';
import { validateYupSchema, yup } from '@strapi/utils';
import { validatePasswordRules } from '../../flows/phone/validatePasswordRules';

/**
 * users-permissions' reset-password rules (`controllers/validation/auth.js`, not exported),
 * so a reset that ends in a challenge refuses exactly what a plain reset refuses. The
 * password rules themselves are the ones phone sign-up applies.
 */
export async function validateResetPasswordBody(
  strapi: Core.Strapi,
  body: unknown,
): Promise<{ password: string; passwordConfirmation: string; code: string }> {
  const schema = yup
    .object({
      password: yup
        .string()
        .required()
        .test(async function passwordRules(value) {
          if (value === undefined) return true;
          try {
            await validatePasswordRules(strapi, value);
            return true;
          } catch (error) {
            return this.createError({ message: (error as Error).message });
          }
        }),
      passwordConfirmation: yup
        .string()
        .required()
        .oneOf([yup.ref('password')], 'Passwords do not match'),
      code: yup.string().required(),
    })
    .noUnknown();
  return (await validateYupSchema(schema)(body)) as { password: string; passwordConfirmation: string; code: string };
}
