import type { Core } from '@strapi/strapi';
import { createOpenApiDocument } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import pluginPackage from '../../../../package.json';

/** The REST prefix (`/api` unless the app moved it). */
function restPrefix(strapi: Core.Strapi): string {
  return strapi.config.get<string>('api.rest.prefix', '/api').replace(/\/$/, '');
}

/** The app's configured `url` when it is absolute, else the origin this request reached. */
function originOf(strapi: Core.Strapi, ctx: Context): string {
  const configured = strapi.config.get<string>('server.url', '');
  return /^https?:\/\//.test(configured) ? configured.replace(/\/$/, '') : ctx.origin;
}

export function createOpenApiController({ strapi }: { strapi: Core.Strapi }) {
  // Built once per server URL: the routes change only with the plugin.
  const documents = new Map<string, Record<string, unknown>>();
  return {
    /** `GET /api/two-factor/openapi.json`: the contract, public and cacheable (it changes only with the plugin). */
    async document(ctx: Context): Promise<void> {
      ctx.set('Cache-Control', 'public, max-age=3600');
      const serverUrl = `${originOf(strapi, ctx)}${restPrefix(strapi)}`;
      let document = documents.get(serverUrl);
      if (document === undefined) {
        document = createOpenApiDocument({ serverUrl, version: pluginPackage.version });
        if (documents.size < 16) documents.set(serverUrl, document);
      }
      ctx.body = document;
    },
  };
}
