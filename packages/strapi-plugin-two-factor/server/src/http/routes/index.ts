import type { Core } from '@strapi/strapi';
import { CONTRACT_ROUTES, type ContractRouteKey, type RouteAuth } from '@strapi-two-factor/contract';
import { ADMIN_ROUTES } from '../admin';
import { enrolmentStrategy } from '../auth/enrolmentStrategy';

type Route = Core.RouteInput;

/**
 * The enrolment routes also take the token of an enrolment-only login as a Bearer token
 * (tried first; a Strapi JWT falls through to users-permissions' strategy).
 */
const enrolmentAuth = { auth: { strategies: [enrolmentStrategy, 'users-permissions'] } } as unknown as Route['config'];

/** The plugin's content-API routes in the contract (`/auth/local` is Strapi's own). */
type PluginRouteKey = Exclude<ContractRouteKey, 'POST /auth/local'>;

/**
 * The controller action behind each route of the contract: the paths, methods and who may
 * call them come from the contract's route table (one declaration, which the OpenAPI document
 * is built from too); a route of the contract without an action here does not compile.
 */
const HANDLERS: Record<PluginRouteKey, string> = {
  'POST /two-factor/challenge/verify': 'challenge.verify',
  'POST /two-factor/challenge/send': 'challenge.send',
  'POST /two-factor/phone/register': 'phone.register',
  'POST /two-factor/phone/verify': 'phone.verify',
  'POST /two-factor/phone/resend': 'phone.resend',
  'POST /two-factor/phone/login': 'phone.login',
  'GET /two-factor/me': 'me.find',
  'POST /two-factor/sms/setup': 'smsFactor.setup',
  'POST /two-factor/sms/activate': 'smsFactor.activate',
  'POST /two-factor/email/setup': 'emailFactor.setup',
  'POST /two-factor/email/activate': 'emailFactor.activate',
  'POST /two-factor/totp/setup': 'totp.setup',
  'POST /two-factor/totp/activate': 'totp.activate',
  'POST /two-factor/passkey/setup': 'passkey.setup',
  'POST /two-factor/passkey/activate': 'passkey.activate',
  'POST /two-factor/passkey/login/options': 'passkey.loginOptions',
  'POST /two-factor/passkey/login/verify': 'passkey.loginVerify',
  'POST /two-factor/factors/:id/rename': 'factor.rename',
  'POST /two-factor/trusted-devices/:id/revoke': 'factor.revokeTrustedDevice',
  // POST, not DELETE: the fresh code travels in the body, and Strapi (koa-body) does not
  // parse DELETE bodies by default, nor do all proxies keep them.
  'POST /two-factor/factors/:id/remove': 'factor.remove',
  'POST /two-factor/recovery-codes/regenerate': 'factor.regenerateRecoveryCodes',
  'POST /two-factor/step-up/send': 'factor.sendStepUpCode',
  'POST /two-factor/step-up/verify': 'factor.verifyStepUp',
  'GET /two-factor/openapi.json': 'openapi.document',
};

const ROUTE_PREFIX = '/two-factor';

/** Strapi's auth config for who may call a route. */
function authConfig(auth: RouteAuth): Route['config'] {
  if (auth === 'public') return { auth: false };
  return auth === 'user-or-enrolment' ? enrolmentAuth : {};
}

/**
 * Content API routes, under `/api/two-factor`. The challenge routes are public (the opaque
 * challenge token is the credential); self-service routes need a signed-in user, and the
 * plugin grants them to the Authenticated role at bootstrap.
 */
const contentApiRoutes: Route[] = CONTRACT_ROUTES.flatMap((route): Route[] => {
  const key = `${route.method} ${route.path}` as ContractRouteKey;
  if (key === 'POST /auth/local') return [];
  return [
    {
      method: route.method,
      path: route.path.slice(ROUTE_PREFIX.length),
      handler: HANDLERS[key],
      config: authConfig(route.auth),
    },
  ];
});

/** The actions the Authenticated role needs for self-service. */
export const SELF_SERVICE_ACTIONS = contentApiRoutes
  .filter((route) => (route.config as { auth?: unknown } | undefined)?.auth !== false)
  .map((route) => `plugin::two-factor.${String(route.handler)}`);

/** The actions an enrolment-only token may reach (the routes that accept it). */
export const ENROLMENT_ACTIONS = contentApiRoutes
  .filter((route) => route.config === enrolmentAuth)
  .map((route) => `plugin::two-factor.${String(route.handler)}`);

/** Admin routes, under `/two-factor`, guarded by admin RBAC. */
const adminRoutes: Route[] = [...ADMIN_ROUTES];

/** Every content-API route of the plugin counts against the per-IP request limit. */
const limitedContentApiRoutes: Route[] = contentApiRoutes.map((route) => ({
  ...route,
  config: { ...route.config, middlewares: ['plugin::two-factor.rateLimit'] },
}));

export default {
  'content-api': { type: 'content-api' as const, routes: limitedContentApiRoutes },
  admin: { type: 'admin' as const, routes: adminRoutes },
};
