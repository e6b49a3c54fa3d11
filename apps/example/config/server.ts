import type { Core } from '@strapi/strapi';
import { requiredEnv } from '../src/utils/requiredEnv';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    keys: requiredEnv(env, 'APP_KEYS').split(','),
  },
  // Behind a TLS-terminating proxy or load balancer set IS_PROXIED=true: Koa then takes the
  // protocol from X-Forwarded-Proto (users-permissions' Secure refresh cookie needs https in
  // production) and the client's address from X-Forwarded-For, which the two-factor plugin's
  // per-IP limits count. maxIpsCount is the number of proxies in front: the address the
  // nearest proxy appended is used, never the leftmost one a client can write itself.
  proxy: {
    koa: env.bool('IS_PROXIED', false),
    maxIpsCount: env.int('PROXY_HOPS', 1),
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
