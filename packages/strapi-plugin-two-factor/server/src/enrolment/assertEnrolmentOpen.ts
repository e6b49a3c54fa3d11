import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { twoFactorError } from '../errors/twoFactorError';
import { getService } from '../utils/getService';
import type { EnrolmentState } from './enrolmentStrategy';

/**
 * An enrolment-only token stands for "this user has no factor yet". Once the user holds an
 * active factor it opens nothing: a password thief with an older token must not add a
 * factor of their own and walk away with a full login (issue 11, item 3).
 */
export async function assertEnrolmentOpen(strapi: Core.Strapi, ctx: Context, userId: number): Promise<void> {
  if ((ctx.state as EnrolmentState).twoFactorEnrolment === undefined) return;
  const active = await getService(strapi, 'factors').activeFactors(userId);
  if (active.length > 0) throw twoFactorError('ENROLMENT_COMPLETE');
}
