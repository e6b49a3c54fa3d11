import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { enrolmentStrategy } from '../auth/enrolmentStrategy';
import { ENROLMENT_ACTIONS } from '../routes';

interface StrategyResult {
  authenticated: boolean;
  credentials?: unknown;
  ability?: null;
}

interface AuthConfig {
  scope?: string | string[];
}

/**
 * The enrolment-only token as a Bearer token on `/graphql`. GraphQL authenticates the whole
 * request once with the content API's strategies (an unknown Bearer token is a 401 for every
 * operation), so the token cannot be a per-route strategy as on REST: this one is registered
 * for the content API, answers only on the GraphQL endpoint, and lets the token reach only
 * the operations whose scope is an enrolment route's action (`me.find`, each factor's
 * setup/activate). Anything else, including operations without a scope, is refused.
 */
export function createGraphqlEnrolmentStrategy(strapi: Core.Strapi) {
  const endpoint = (): string => strapi.plugin('graphql').config<string>('endpoint', '/graphql');
  return {
    name: 'two-factor-enrolment-graphql',

    async authenticate(ctx: Context): Promise<StrategyResult> {
      if (ctx.request.path !== endpoint()) return { authenticated: false };
      const result = await enrolmentStrategy.authenticate(ctx);
      return result.authenticated ? { ...result, ability: null } : { authenticated: false };
    },

    verify(_auth: unknown, config: AuthConfig | undefined): void {
      const scopes = config?.scope === undefined ? [] : ([] as string[]).concat(config.scope);
      if (scopes.length === 0 || scopes.some((scope) => !ENROLMENT_ACTIONS.includes(scope))) {
        throw new errors.ForbiddenError();
      }
    },
  };
}
