import type { Core } from '@strapi/strapi';
import { type AuthController, createGatedAuthController } from './http/auth/createGatedAuthController';
import { hideContentTypesFromGraphql } from './http/graphql/hideContentTypesFromGraphql';
import { registerGraphqlFlows } from './http/graphql/registerGraphqlFlows';
import { registerDocumentationOverride } from './http/openapi/registerDocumentationOverride';
import { validatePluginConfig } from './platform/config/validatePluginConfig';
import { PLUGIN_ID } from './platform/pluginId';
import { USER_UID } from './platform/stores/userStore';

const AUTH_CONTROLLER_UID = 'plugin::users-permissions.auth';

interface ContentTypeRegistry {
  extend(uid: string, extend: (contentType: { attributes: Record<string, { required?: boolean }> }) => void): unknown;
}

interface ControllerRegistry {
  extend(uid: string, extend: (controller: AuthController) => AuthController): unknown;
}

export function register({ strapi }: { strapi: Core.Strapi }): void {
  // users-permissions' `auth` controller is a factory since 5.1: patching the object an
  // extension sees does nothing. The registry's `extend` wraps the instance every route
  // and GraphQL resolver gets (tested: a two-step user's login returns a challenge).
  (strapi.get('controllers') as ControllerRegistry).extend(AUTH_CONTROLLER_UID, (original) =>
    createGatedAuthController(strapi, original),
  );
  hideContentTypesFromGraphql(strapi);
  registerGraphqlFlows(strapi);
  registerDocumentationOverride(strapi);
  // Phone sign-up without an email needs users-permissions' `email.required` relaxed, which
  // changes the user type every client sees (GraphQL `String!` → `String`, the admin's
  // form): only when the app opts in (`phone.signUpWithoutEmail`). The plugin's own writes
  // go through `strapi.db.query`, which does not validate; the Content Manager and the
  // document service do. Strapi's own register still requires an email (its body validation).
  const { phone } = validatePluginConfig(strapi.config.get(`plugin::${PLUGIN_ID}`, {}));
  if (!phone.signUpWithoutEmail) return;
  (strapi.get('content-types') as ContentTypeRegistry).extend(USER_UID, (contentType) => {
    const email = contentType.attributes.email;
    if (email !== undefined) email.required = false;
  });
}
