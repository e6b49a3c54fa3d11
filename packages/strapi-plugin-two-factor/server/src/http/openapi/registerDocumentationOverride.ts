import type { Core } from '@strapi/strapi';
import { createOpenApiDocument } from '@strapi-two-factor/contract';
import { PLUGIN_ID } from '../../platform/pluginId';

interface DocumentationOverrideService {
  registerOverride(
    override: Record<string, unknown>,
    options: { pluginOrigin?: string; excludeFromGeneration?: string[] },
  ): void;
}

/**
 * When the app has `@strapi/plugin-documentation`, its Swagger UI shows the plugin's routes
 * as the contract describes them (its own generator knows neither bodies nor answers of
 * custom routes). Its document answers under the REST prefix, as ours does, so the paths
 * match; `servers` is left to it.
 */
export function registerDocumentationOverride(strapi: Core.Strapi): void {
  const documentation = strapi.plugin('documentation') as Core.Plugin | undefined;
  if (documentation === undefined) return;
  const { paths, components } = createOpenApiDocument();
  const service = documentation.service('override') as DocumentationOverrideService | undefined;
  service?.registerOverride({ paths, components }, { pluginOrigin: PLUGIN_ID, excludeFromGeneration: [PLUGIN_ID] });
}
