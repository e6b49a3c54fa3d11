import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import {
  assuranceOfPasskeySecondStep,
  assuranceOfSignIn,
  firstFactorOf,
  type PasskeyProof,
  type SecondStepMethod,
} from '../assurance/assurance';
import { issueStrapiTokens, type StrapiUserRow } from '../auth/issueStrapiTokens';
import { twoFactorError } from '../errors/twoFactorError';
import { CHALLENGE_UID, type ChallengeRow } from '../login-challenge/challengeService';
import { getService } from '../utils/getService';
import type { EnrolmentState } from './enrolmentStrategy';

/**
 * After a factor was activated: a request made with an enrolment-only token turns into the
 * full login (DESIGN.md) — the token is burnt and Strapi's login body is added. Activating
 * `method` proved it, so the session is the first step plus `method`.
 */
export async function finishEnrolment<Result extends object>(
  strapi: Core.Strapi,
  ctx: Context,
  result: Result,
  method: SecondStepMethod | { passkey: PasskeyProof },
): Promise<Result | (Result & Record<string, unknown>)> {
  const enrolment = (ctx.state as EnrolmentState).twoFactorEnrolment;
  if (enrolment === undefined) return result;
  const consumedAt = getService(strapi, 'clock').now();
  const enrolmentChallenge = (await strapi.db
    .query(CHALLENGE_UID)
    .findOne({ where: { id: enrolment.challengeId } })) as ChallengeRow | null;
  const consumed = await strapi.db.query(CHALLENGE_UID).updateMany({
    where: { id: enrolment.challengeId, consumedAt: null },
    data: { consumedAt, updatedAt: consumedAt },
  });
  if (consumed.count !== 1) throw twoFactorError('CHALLENGE_USED');
  const user = (ctx.state as { user: StrapiUserRow }).user;
  // Enrolment is over: every other enrolment-only token of the user dies with this one, in
  // one UPDATE, or a password thief holding an older token could still add a factor of
  // their own and get a full login (issue 11). Factor enrolment codes (factorId set) stay.
  await strapi.db.query(CHALLENGE_UID).updateMany({
    where: { userId: user.id, purpose: 'enrol', factorId: null, consumedAt: null },
    data: { consumedAt, updatedAt: consumedAt },
  });
  await getService(strapi, 'events').record('sign-in.succeeded', user.id, { via: 'enrolment' });
  const firstFactor = firstFactorOf({ firstFactor: enrolmentChallenge?.firstFactor ?? null });
  const assurance =
    typeof method === 'string'
      ? assuranceOfSignIn(firstFactor, method, consumedAt)
      : assuranceOfPasskeySecondStep(firstFactor, method.passkey, consumedAt);
  return { ...result, ...(await issueStrapiTokens(strapi, ctx, user, { assurance })) };
}
