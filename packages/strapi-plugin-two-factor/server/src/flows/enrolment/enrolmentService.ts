import type { Core } from '@strapi/strapi';
import { reauthenticationBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import {
  assuranceOfPasskeySecondStep,
  assuranceOfSignIn,
  firstFactorOf,
  type PasskeyProof,
  type SecondStepMethod,
} from '../../core/assurance/assurance';
import { issueStrapiTokens } from '../../core/assurance/issueStrapiTokens';
import { currentSessionId, type SessionService } from '../../core/assurance/sessionService';
import type { ChallengeService } from '../../core/challenges/challengeService';
import type { EventService } from '../../core/events/eventService';
import type { AuthorizeAddition, FactorService } from '../../core/factors/factorService';
import type { NotificationService } from '../../core/notifications/notificationService';
import type { ClockService } from '../../platform/clock/clockService';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { StrapiUserRow } from '../../platform/stores/userStore';
import type { StepUpService } from '../step-up/stepUpService';

/** Marks a request authenticated by an enrolment token rather than a session. */
export interface EnrolmentState {
  twoFactorEnrolment?: { challengeId: number };
}

export interface EnrolmentService {
  /**
   * The gate in front of every factor setup: the first factor needs nothing more than the
   * session, but adding one next to an active factor needs a fresh code from an existing one
   * (DESIGN.md "Re-authentication"), or a stolen session could bind its own authenticator.
   * Enrolment-only tokens never add a second factor at all.
   */
  authorizeAddition(ctx: Context, userId: number): AuthorizeAddition;
  /**
   * An enrolment-only token stands for "this user has no factor yet". Once the user holds an
   * active factor it opens nothing: a password thief with an older token must not add a
   * factor of their own and walk away with a full login (issue 11, item 3).
   */
  assertOpen(ctx: Context, userId: number): Promise<void>;
  /**
   * After a factor was activated: the owner is told (`notice`), their other sessions end and
   * a request made with an enrolment-only token turns into the full login (DESIGN.md) — the
   * token is burnt and Strapi's login body is added. Activating `method` proved it, so the
   * session is the first step plus `method`.
   */
  completeActivation<Result extends object>(
    ctx: Context,
    userId: number,
    result: Result,
    proof: { method: SecondStepMethod | { passkey: PasskeyProof }; notice: string },
  ): Promise<Result | (Result & Record<string, unknown>)>;
}

export function createEnrolmentService({
  strapi,
  challenges,
  clock,
  events,
  factors,
  notifications,
  sessions,
  stepUp,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  events: EventService;
  factors: FactorService;
  notifications: NotificationService;
  sessions: SessionService;
  stepUp: StepUpService;
}): EnrolmentService {
  return {
    authorizeAddition(ctx, userId) {
      return async () => {
        const active = await factors.activeFactors(userId);
        if (active.length === 0) return;
        if ((ctx.state as EnrolmentState).twoFactorEnrolment !== undefined) throw twoFactorError('ENROLMENT_COMPLETE');
        const body = (ctx.request.body ?? {}) as { method?: unknown; code?: unknown; response?: unknown };
        if (body.method === undefined && body.code === undefined && body.response === undefined) {
          throw twoFactorError('REAUTHENTICATION_REQUIRED', { methods: await stepUp.methodsFor(userId) });
        }
        const proof = parseInput(reauthenticationBody, {
          method: body.method,
          code: body.code,
          response: body.response,
        });
        await stepUp.reauthenticate(userId, proof);
      };
    },

    async assertOpen(ctx, userId) {
      if ((ctx.state as EnrolmentState).twoFactorEnrolment === undefined) return;
      const active = await factors.activeFactors(userId);
      if (active.length > 0) throw twoFactorError('ENROLMENT_COMPLETE');
    },

    async completeActivation(ctx, userId, result, { method, notice }) {
      // A factor added is told to the owner, in case it was not them (ASVS 5.0 6.3.6).
      await notifications.securityChange(userId, notice);
      // Before the enrolment's own session is made, so that one is not ended with the rest.
      await sessions.endOthers(userId, currentSessionId(ctx));
      const enrolment = (ctx.state as EnrolmentState).twoFactorEnrolment;
      if (enrolment === undefined) return result;
      const user = (ctx.state as { user: StrapiUserRow }).user;
      const enrolmentChallenge = await challenges.consumeEnrolment(enrolment.challengeId, user.id);
      const consumedAt = clock.now();
      await events.record('sign-in.succeeded', user.id, { via: 'enrolment' });
      const firstFactor = firstFactorOf({ firstFactor: enrolmentChallenge?.firstFactor ?? null });
      const assurance =
        typeof method === 'string'
          ? assuranceOfSignIn(firstFactor, method, consumedAt)
          : assuranceOfPasskeySecondStep(firstFactor, method.passkey, consumedAt);
      return { ...result, ...(await issueStrapiTokens(strapi, ctx, user, { assurance })) };
    },
  };
}
