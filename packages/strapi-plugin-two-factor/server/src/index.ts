import { assurancePolicy } from './assurance/assurancePolicy';
import { bootstrap } from './bootstrap';
import config from './config';
import contentTypes from './content-types';
import { controllers } from './controllers';
import { destroy } from './destroy';
import { rateLimitMiddleware } from './rate-limits/rateLimitMiddleware';
import { register } from './register';
import routes from './routes';
import { services } from './services';

export type { TwoFactorPluginOptions } from './config/pluginOptions';
export { TWO_FACTOR_ERROR_CODES } from './errors/twoFactorErrorCodes';

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
