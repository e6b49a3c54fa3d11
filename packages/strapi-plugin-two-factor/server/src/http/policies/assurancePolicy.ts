import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { currentAssurance } from '../../core/assurance/currentAssurance';
import { TWO_FACTOR_ERROR_CODES } from '../../platform/errors/twoFactorErrorCodes';
import { getService } from '../getService';

/** The policy's config on a route: `{ name: 'plugin::two-factor.assurance', config }`. */
export interface AssurancePolicyConfig {
  /** The lowest authenticator assurance level the route accepts: 1 or 2. */
  aal: 1 | 2;
  /** How long ago, at most, a factor may have been proven, in seconds. No limit when absent. */
  maxAgeSeconds?: number;
}

/** A misconfigured route fails loudly at its first request, naming the option. */
export class AssurancePolicyConfigError extends Error {
  override name = 'AssurancePolicyConfigError';
}

function parseConfig(config: unknown): AssurancePolicyConfig {
  const candidate = (config ?? {}) as { aal?: unknown; maxAgeSeconds?: unknown };
  if (candidate.aal !== 1 && candidate.aal !== 2) {
    throw new AssurancePolicyConfigError(
      `plugin::two-factor.assurance: config.aal must be 1 or 2, got ${JSON.stringify(candidate.aal)}`,
    );
  }
  const maxAge = candidate.maxAgeSeconds;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge <= 0)) {
    throw new AssurancePolicyConfigError(
      `plugin::two-factor.assurance: config.maxAgeSeconds must be a positive whole number of seconds, got ${JSON.stringify(maxAge)}`,
    );
  }
  return { aal: candidate.aal, ...(typeof maxAge === 'number' ? { maxAgeSeconds: maxAge } : {}) };
}

interface PolicyContext {
  state: { user?: { id?: unknown } | null };
}

/**
 * `plugin::two-factor.assurance`: lets a request through only when its session was signed in
 * at `config.aal` or above, and (with `maxAgeSeconds`) a factor was proven recently enough.
 * A refusal is a `PolicyError`: Strapi keeps a policy error's `details` on authenticated
 * routes, where a controller's `ForbiddenError` reaches the client bare (docs/notes.md).
 */
export async function assurancePolicy(
  policyContext: PolicyContext,
  config: unknown,
  { strapi }: { strapi: Core.Strapi },
): Promise<boolean> {
  const required = parseConfig(config);
  const userId = policyContext.state.user?.id;
  const ctx = policyContext as unknown as Context;
  const assurance = typeof userId === 'number' ? await currentAssurance(strapi, ctx) : undefined;
  if (typeof userId !== 'number' || assurance === undefined) {
    throw new errors.UnauthorizedError('Missing or invalid credentials');
  }
  const nowSeconds = Math.floor(getService(strapi, 'clock').now().getTime() / 1000);
  const isStrongEnough = assurance.aal >= required.aal;
  const isRecentEnough =
    required.maxAgeSeconds === undefined || nowSeconds - assurance.auth_time <= required.maxAgeSeconds;
  if (isStrongEnough && isRecentEnough) return true;
  const methods = await getService(strapi, 'stepUp').methodsFor(userId);
  throw new errors.PolicyError(TWO_FACTOR_ERROR_CODES.STEP_UP_REQUIRED.message, {
    code: 'STEP_UP_REQUIRED',
    aal: assurance.aal,
    requiredAal: required.aal,
    methods,
  });
}
