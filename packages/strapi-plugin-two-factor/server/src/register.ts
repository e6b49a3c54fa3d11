import type { Core } from '@strapi/strapi';
import { type AuthController, createGatedAuthController } from './auth/createGatedAuthController';
import { hideContentTypesFromGraphql } from './graphql/hideContentTypesFromGraphql';

const AUTH_CONTROLLER_UID = 'plugin::users-permissions.auth';
const USER_UID = 'plugin::users-permissions.user';

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
  // Phone sign-up creates users without an email: relax users-permissions' `email.required`
  // here rather than asking apps to edit Strapi's schema files. Strapi's own register still
  // requires one (its body validation), and emails stay unique (checked on sign-up).
  (strapi.get('content-types') as ContentTypeRegistry).extend(USER_UID, (contentType) => {
    const email = contentType.attributes.email;
    if (email !== undefined) email.required = false;
  });
  hideContentTypesFromGraphql(strapi);
}
