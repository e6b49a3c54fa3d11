import type { Core } from '@strapi/strapi';
import { requiredEnv } from '../src/utils/requiredEnv';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: {
    secret: requiredEnv(env, 'ADMIN_JWT_SECRET'),
  },
  apiToken: {
    salt: requiredEnv(env, 'API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: requiredEnv(env, 'TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    // Optional for Strapi; without it (and without TWO_FACTOR_ENCRYPTION_KEY) the two-factor
    // plugin refuses authenticator-app enrolment with ENCRYPTION_KEY_MISSING.
    encryptionKey: env('ENCRYPTION_KEY'),
  },
  // API-only test runs boot without a built admin panel.
  serveAdminPanel: env.bool('SERVE_ADMIN_PANEL', true),
  flags: {
    nps: false,
    promoteEE: false,
    docLinks: env.bool('FLAG_DOC_LINKS', true),
  },
});

export default config;
