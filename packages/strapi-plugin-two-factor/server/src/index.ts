import { bootstrap } from './bootstrap';
import { destroy } from './destroy';
import { controllers } from './http/controllers';
import { rateLimitMiddleware } from './http/middlewares/rateLimitMiddleware';
import { assurancePolicy } from './http/policies/assurancePolicy';
import routes from './http/routes';
import config from './platform/config';
import contentTypes from './platform/content-types';
import { register } from './register';
import { services } from './services';

export type { TwoFactorPluginOptions } from './platform/config/pluginOptions';
export { TWO_FACTOR_ERROR_CODES } from './platform/errors/twoFactorErrorCodes';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  routes,
  services,
  controllers,
  policies: { assurance: assurancePolicy },
  middlewares: { rateLimit: rateLimitMiddleware },
};
