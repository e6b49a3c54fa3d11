import type { Core } from '@strapi/strapi';

/**
 * Whether email codes can reach anyone: Strapi's email plugin is there and the app chose a
 * provider. Without one Strapi falls back to `sendmail`, which needs a mail transfer agent on
 * the host (rarely there) and fails or drops mail silently, so email codes are not offered
 * by default (an admin may still allow them in the policy).
 */
export function isEmailProviderConfigured(strapi: Core.Strapi): boolean {
  if (strapi.plugin('email') === undefined) return false;
  const provider: unknown = strapi.config.get('plugin::email.provider');
  return typeof provider === 'string' && provider !== '' && provider.toLowerCase() !== 'sendmail';
}
