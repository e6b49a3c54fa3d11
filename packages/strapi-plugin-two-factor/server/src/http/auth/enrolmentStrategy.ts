import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { EnrolmentState } from '../../flows/enrolment/enrolmentService';
import { createUserStore } from '../../platform/stores/userStore';
import { getService } from '../getService';

interface StrategyResult {
  authenticated: boolean;
  credentials?: unknown;
}

/**
 * An auth strategy for the enrolment routes only: the token of an enrolment-only login
 * (`mfaEnrollmentRequired`) is accepted as a Bearer token there and nowhere else. Anything
 * else (a Strapi JWT) is left to users-permissions' own strategy, listed after this one.
 */
export const enrolmentStrategy = {
  name: 'two-factor-enrolment',

  async authenticate(ctx: Context): Promise<StrategyResult> {
    const header = ctx.request.header.authorization ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{43})$/.exec(header);
    // A JWT has dots; an opaque enrolment token has none.
    if (match?.[1] === undefined) return { authenticated: false };
    const strapi = (globalThis as unknown as { strapi: Core.Strapi }).strapi;
    const challenge = await getService(strapi, 'challenges')
      .findOpen(match[1], ['enrol'])
      .catch(() => undefined);
    if (challenge === undefined || challenge.factorId !== null || challenge.userId === null)
      return { authenticated: false };
    const user = await createUserStore(strapi).findById(challenge.userId);
    if (user === null || user.blocked === true) return { authenticated: false };
    ctx.state.user = user;
    (ctx.state as EnrolmentState).twoFactorEnrolment = { challengeId: challenge.id };
    return { authenticated: true, credentials: user };
  },

  verify(): void {},
};
