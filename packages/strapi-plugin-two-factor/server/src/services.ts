import type { Core } from '@strapi/strapi';
import { servicesOf, type TwoFactorServices } from './container';

type ServiceFactories = {
  [Name in keyof TwoFactorServices]: (context: { strapi: Core.Strapi }) => TwoFactorServices[Name];
};

const NAMES = [
  'clock',
  'events',
  'settings',
  'enforcement',
  'secrets',
  'rateLimits',
  'sms',
  'email',
  'accountState',
  'trustedDevices',
  'sessions',
  'recoveryCodes',
  'factors',
  'notifications',
  'totp',
  'challenges',
  'smsFactor',
  'emailFactor',
  'passkeys',
  'loginFlow',
  'stepUp',
  'enrolment',
  'me',
  'phoneLogin',
  'phoneSignUp',
  'adminEvents',
  'adminUsers',
  'adminSessions',
  'maintenance',
] as const satisfies readonly (keyof TwoFactorServices)[];

/**
 * Strapi's `services` map: each entry hands out the instance the container built
 * (`container.ts`), so `strapi.plugin('two-factor').service('challenges')` and the plugin's
 * own code share one set.
 */
export const services = Object.fromEntries(
  NAMES.map((name) => [name, ({ strapi }: { strapi: Core.Strapi }) => servicesOf(strapi)[name]]),
) as ServiceFactories;

export type { TwoFactorServices };
