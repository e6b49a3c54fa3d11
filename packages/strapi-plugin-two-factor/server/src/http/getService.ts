import type { Core } from '@strapi/strapi';
import type { TwoFactorServices } from '../container';
import { PLUGIN_ID } from '../platform/pluginId';

/** Typed access to the plugin's services, as Strapi's upload plugin does. */
export function getService<Name extends keyof TwoFactorServices>(
  strapi: Core.Strapi,
  name: Name,
): TwoFactorServices[Name] {
  return strapi.plugin(PLUGIN_ID).service(name) as TwoFactorServices[Name];
}
