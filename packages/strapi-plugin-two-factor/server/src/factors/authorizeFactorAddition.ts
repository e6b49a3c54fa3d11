import type { Core } from '@strapi/strapi';
import { reauthenticationBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import type { EnrolmentState } from '../enrolment/enrolmentStrategy';
import { twoFactorError } from '../errors/twoFactorError';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

/** Runs once a setup request is validated and before it writes anything. */
export type AuthorizeAddition = () => Promise<void>;

/**
 * The gate in front of every factor setup: the first factor needs nothing more than the
 * session, but adding one next to an active factor needs a fresh code from an existing one
 * (DESIGN.md "Re-authentication"), or a stolen session could bind its own authenticator.
 * Enrolment-only tokens never add a second factor at all.
 */
export function authorizeFactorAddition(strapi: Core.Strapi, ctx: Context, userId: number): AuthorizeAddition {
  return async () => {
    const active = await getService(strapi, 'factors').activeFactors(userId);
    if (active.length === 0) return;
    if ((ctx.state as EnrolmentState).twoFactorEnrolment !== undefined) throw twoFactorError('ENROLMENT_COMPLETE');
    const body = (ctx.request.body ?? {}) as { method?: unknown; code?: unknown; response?: unknown };
    if (body.method === undefined && body.code === undefined && body.response === undefined) {
      throw twoFactorError('REAUTHENTICATION_REQUIRED', {
        methods: await getService(strapi, 'stepUp').methodsFor(userId),
      });
    }
    const proof = parseInput(reauthenticationBody, { method: body.method, code: body.code, response: body.response });
    await getService(strapi, 'stepUp').reauthenticate(userId, proof);
  };
}
