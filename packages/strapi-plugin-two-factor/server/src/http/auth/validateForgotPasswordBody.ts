import { validateYupSchema, yup } from '@strapi/utils';

/**
 * users-permissions' forgot-password rule (`controllers/validation/auth.js`, not exported), so
 * the plugin's forgot-password refuses exactly what Strapi's refuses, with the same body.
 */
export async function validateForgotPasswordBody(body: unknown): Promise<{ email: string }> {
  const schema = yup.object({ email: yup.string().email().required() }).noUnknown();
  return (await validateYupSchema(schema)(body)) as { email: string };
}
