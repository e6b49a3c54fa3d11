import type { Core } from '@strapi/strapi';
import { requiredEnv } from '../src/utils/requiredEnv';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    keys: requiredEnv(env, 'APP_KEYS').split(','),
  },
  logger: {
    // No "a new Strapi is out" check: it would reach the network.
    updates: { enabled: false },
    config: {
      // `http` logs each request; tests run with `warn`.
      level: env('STRAPI_LOG_LEVEL', 'http'),
    },
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
});

export default config;
