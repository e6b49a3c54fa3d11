import type { Core } from '@strapi/strapi';
import { ADMIN_ROUTES } from '../admin';
import { enrolmentStrategy } from '../auth/enrolmentStrategy';

type Route = Core.RouteInput;

/**
 * The enrolment routes also take the token of an enrolment-only login as a Bearer token
 * (tried first; a Strapi JWT falls through to users-permissions' strategy).
 */
const enrolmentAuth = { auth: { strategies: [enrolmentStrategy, 'users-permissions'] } } as unknown as Route['config'];

/**
 * Content API routes, under `/api/two-factor`. The challenge routes are public (the opaque
 * challenge token is the credential); self-service routes need a signed-in user, and the
 * plugin grants them to the Authenticated role at bootstrap.
 */
const contentApiRoutes: Route[] = [
  { method: 'POST', path: '/challenge/verify', handler: 'challenge.verify', config: { auth: false } },
  { method: 'POST', path: '/challenge/send', handler: 'challenge.send', config: { auth: false } },
  { method: 'POST', path: '/phone/register', handler: 'phone.register', config: { auth: false } },
  { method: 'POST', path: '/phone/verify', handler: 'phone.verify', config: { auth: false } },
  { method: 'POST', path: '/phone/resend', handler: 'phone.resend', config: { auth: false } },
  { method: 'POST', path: '/phone/login', handler: 'phone.login', config: { auth: false } },
  { method: 'GET', path: '/me', handler: 'me.find', config: enrolmentAuth },
  { method: 'POST', path: '/sms/setup', handler: 'smsFactor.setup', config: enrolmentAuth },
  { method: 'POST', path: '/sms/activate', handler: 'smsFactor.activate', config: enrolmentAuth },
  { method: 'POST', path: '/email/setup', handler: 'emailFactor.setup', config: enrolmentAuth },
  { method: 'POST', path: '/email/activate', handler: 'emailFactor.activate', config: enrolmentAuth },
  { method: 'POST', path: '/totp/setup', handler: 'totp.setup', config: enrolmentAuth },
  { method: 'POST', path: '/totp/activate', handler: 'totp.activate', config: enrolmentAuth },
  { method: 'POST', path: '/passkey/setup', handler: 'passkey.setup', config: enrolmentAuth },
  { method: 'POST', path: '/passkey/activate', handler: 'passkey.activate', config: enrolmentAuth },
  { method: 'POST', path: '/passkey/login/options', handler: 'passkey.loginOptions', config: { auth: false } },
  { method: 'POST', path: '/passkey/login/verify', handler: 'passkey.loginVerify', config: { auth: false } },
  { method: 'POST', path: '/factors/:id/rename', handler: 'factor.rename' },
  { method: 'POST', path: '/trusted-devices/:id/revoke', handler: 'factor.revokeTrustedDevice' },
  // POST, not DELETE: the fresh code travels in the body, and Strapi (koa-body) does not
  // parse DELETE bodies by default, nor do all proxies keep them.
  { method: 'POST', path: '/factors/:id/remove', handler: 'factor.remove' },
  { method: 'POST', path: '/recovery-codes/regenerate', handler: 'factor.regenerateRecoveryCodes' },
  { method: 'POST', path: '/step-up/send', handler: 'factor.sendStepUpCode' },
  { method: 'POST', path: '/step-up/verify', handler: 'factor.verifyStepUp' },
  { method: 'GET', path: '/openapi.json', handler: 'openapi.document', config: { auth: false } },
];

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
