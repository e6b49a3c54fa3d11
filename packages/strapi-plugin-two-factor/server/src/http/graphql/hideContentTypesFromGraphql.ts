import type { Core } from '@strapi/strapi';
import contentTypes from '../../platform/content-types';
import { PLUGIN_ID } from '../../platform/pluginId';

interface GraphqlExtensionService {
  shadowCRUD(uid: string): { disable(): unknown };
}

/** Every content type the plugin declares, as Strapi names it (`plugin::two-factor.factor`, …). */
export function pluginContentTypeUids(): string[] {
  return Object.keys(contentTypes).map((name) => `plugin::${PLUGIN_ID}.${name}`);
}

/**
 * The plugin's tables are internal (token hashes, counters, the audit log): GraphQL's shadow
 * CRUD would otherwise publish queries and create/update/delete mutations for each of them.
 * Must run in `register()`: `@strapi/plugin-graphql` builds its schema in its own bootstrap
 * and reads the extension service's shadow-CRUD flags then (services/content-api `shadowCRUD`).
 */
export function hideContentTypesFromGraphql(strapi: Core.Strapi): void {
  if (strapi.plugin('graphql') === undefined) return;
  const extension = strapi.plugin('graphql').service('extension') as unknown as GraphqlExtensionService;
  for (const uid of pluginContentTypeUids()) extension.shadowCRUD(uid).disable();
}
