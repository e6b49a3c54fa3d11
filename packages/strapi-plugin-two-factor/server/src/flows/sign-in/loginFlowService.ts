import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Core } from '@strapi/strapi';
import { type SecondFactorMethod, secondFactorMethod } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import type { AccountStateService } from '../../core/account/accountStateService';
import {
  type Assurance,
  assuranceOfPasskeySecondStep,
  assuranceOfPhoneSignIn,
  assuranceOfSignIn,
  assuranceOfTrustedDevice,
  type FirstFactor,
  firstFactorOf,
} from '../../core/assurance/assurance';
import { issueStrapiTokens } from '../../core/assurance/issueStrapiTokens';
import type {
  ChallengePurpose,
  ChallengeRow,
  ChallengeService,
  CodeAttemptScope,
  VerificationMethod,
} from '../../core/challenges/challengeService';
import { describeDelivery } from '../../core/challenges/describeDelivery';
import type { EmailDeliveryService } from '../../core/delivery/emailDeliveryService';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import type { EventService } from '../../core/events/eventService';
import type { FactorService } from '../../core/factors/factorService';
import type { RecoveryCodeService } from '../../core/recovery-codes/recoveryCodeService';
import type { EnforcementService } from '../../core/settings/enforcementService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { TrustedDeviceService } from '../../core/trusted-devices/trustedDeviceService';
import type { EmailFactorService } from '../../factors/email/emailFactorService';
import type { PasskeyService } from '../../factors/passkey/passkeyService';
import { PASSKEY_CHALLENGE_LIFETIME_SECONDS } from '../../factors/passkey/passkeyService';
import type { ClockService } from '../../platform/clock/clockService';
import { maskEmail } from '../../platform/email/maskEmail';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { maskPhone } from '../../platform/sms/maskPhone';
import type { FactorRow } from '../../platform/stores/factorStore';
import type { StrapiUserRow, UserStore } from '../../platform/stores/userStore';

/** The purposes `challenge/verify` and `challenge/send` finish: the ones that end in a login. */
const LOGIN_PURPOSES: readonly ChallengePurpose[] = ['login', 'phone-login'];

export type { SecondFactorMethod };

export interface ChallengeDescription {
  token: string;
  expiresAt: string;
  methods: SecondFactorMethod[];
  method: SecondFactorMethod;
  sentTo?: string;
  resendAvailableAt?: string;
  /** When the user has a passkey: the options for `navigator.credentials.get()`. */
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
}

export interface LoginChallengeBody {
  mfaRequired: true;
  challenge: ChallengeDescription;
}

export interface LoginEnrolmentBody {
  mfaEnrollmentRequired: true;
  enrollment: { token: string; expiresAt: string };
}

/** The header a client sends its trusted-device token in (DESIGN.md). */
export const TRUSTED_DEVICE_HEADER = 'x-two-factor-device';

export interface VerifyInput {
  token: string;
  method: string;
  code?: string;
  /** The passkey assertion, for `method: "passkey"`. */
  response?: unknown;
  trustDevice?: boolean;
  deviceId?: string;
}

export interface SendInput {
  token: string;
  method: string;
}

export interface LoginFlowService {
  /**
   * What step 1 must do for a user: nothing (`none`, Strapi answers), a challenge, or an
   * enrolment-only login because the policy requires a factor they do not have yet.
   */
  secondStepFor(userId: number): Promise<'none' | 'challenge' | 'enrol'>;
  /**
   * Step 1 for a user whose password was right and who needs a second step: a challenge
   * (and the SMS, sent after the response), an enrolment-only login, or, from a trusted
   * device, Strapi's tokens with the device's rotated token.
   */
  start(user: StrapiUserRow, ctx: Context): Promise<LoginChallengeBody | LoginEnrolmentBody | Record<string, unknown>>;
  /** Step 2: the code, then exactly what Strapi's login returns. */
  verify(ctx: Context, input: VerifyInput): Promise<Record<string, unknown>>;
  /**
   * A new code for the challenge, or for `passkey` new request options (the WebAuthn challenge
   * is replaced); the attempt budget is not reset.
   */
  send(
    input: SendInput,
  ): Promise<
    | { sentTo: string; expiresAt: string; resendAvailableAt: string }
    | { passkeyOptions: PublicKeyCredentialRequestOptionsJSON; expiresAt: string }
  >;
}

/** What the user can answer a challenge with: their factors' types, then recovery codes. */
function methodsOf(factors: FactorRow[], recoveryCodesRemaining: number): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [...new Set(factors.map((factor) => factor.type))];
  if (recoveryCodesRemaining > 0) methods.push('recovery_code');
  return methods;
}

/** The wait of an SMS budget refusal, or `undefined` for any other error. */
function budgetRefusalSeconds(error: unknown): number | undefined {
  const details = (error as { details?: { code?: unknown; retryAfterSeconds?: unknown } } | null)?.details;
  if (details?.code !== 'SMS_BUDGET_EXCEEDED') return undefined;
  return typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 0;
}

/**
 * Default order at step 1 when the user chose nothing: a passkey (phishing-resistant), app
 * codes, then SMS, then email.
 */
const METHOD_STRENGTH: readonly string[] = ['passkey', 'totp', 'sms', 'email'];

function strongestFirst(factors: FactorRow[]): FactorRow[] {
  const rank = (factor: FactorRow): number => {
    const index = METHOD_STRENGTH.indexOf(factor.type);
    return index === -1 ? METHOD_STRENGTH.length : index;
  };
  return [...factors].sort((a, b) => rank(a) - rank(b));
}

function isVerifiable(method: string): method is SecondFactorMethod {
  return (secondFactorMethod.options as readonly string[]).includes(method);
}

export function createLoginFlowService({
  strapi,
  users,
  enforcement,
  accountState,
  challenges,
  clock,
  email: emailDelivery,
  emailFactor,
  events,
  factors: factorService,
  passkeys,
  recoveryCodes,
  settings,
  sms: smsDelivery,
  trustedDevices,
}: {
  strapi: Core.Strapi;
  users: UserStore;
  enforcement: EnforcementService;
  accountState: AccountStateService;
  challenges: ChallengeService;
  clock: ClockService;
  email: EmailDeliveryService;
  emailFactor: EmailFactorService;
  events: EventService;
  factors: FactorService;
  passkeys: PasskeyService;
  recoveryCodes: RecoveryCodeService;
  settings: SettingsService;
  sms: SmsDeliveryService;
  trustedDevices: TrustedDeviceService;
}): LoginFlowService {
  async function openChallengeFor(
    user: StrapiUserRow,
    factors: FactorRow[],
    purpose: ChallengePurpose,
    deviceId: string | undefined,
    firstFactor: FirstFactor,
    remembered: string | undefined,
  ): Promise<LoginChallengeBody> {
    const methods = methodsOf(factors, await recoveryCodes.remaining(user.id));
    // The method the user chose last time, else the strongest they have: an authenticator
    // app needs no SMS, so none is spent when none is needed.
    const factor = factors.find((f) => f.type === remembered) ?? strongestFirst(factors)[0];
    const method = factor?.type;
    if (method === undefined || factor === undefined) throw twoFactorError('METHOD_NOT_AVAILABLE');

    const hasPasskey = methods.includes('passkey');
    const passkeyChallenge = hasPasskey ? passkeys.newChallenge() : undefined;
    const sendsCode = (method === 'sms' && factor.phone !== null) || method === 'email';
    const {
      token,
      challenge,
      issued: firstCode,
    } = await challenges.create({
      purpose,
      userId: user.id,
      factorId: factor.id,
      method,
      phone: factor.phone,
      deviceId,
      firstFactor,
      withFirstCode: sendsCode,
      // Bound to this row: the assertion answers this challenge and no other (≤ 5 minutes).
      ...(passkeyChallenge === undefined
        ? {}
        : { passkeyChallenge: { challenge: passkeyChallenge, lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS } }),
    });
    const description: ChallengeDescription = {
      token,
      expiresAt: new Date(challenge.expiresAt).toISOString(),
      methods,
      method,
    };
    if (passkeyChallenge !== undefined) {
      description.passkeyOptions = await passkeys.requestOptions(passkeyChallenge, user.id);
    }
    if (method === 'sms' && factor.phone !== null) {
      const issued = firstCode ?? (await challenges.issueCode(challenge));
      const sentAt = clock.now();
      try {
        // After the response: the sign-in answer must not wait for, or reveal, Twilio.
        await smsDelivery.sendCodeLater(factor.phone, issued.code ?? '', 'account');
        description.sentTo = maskPhone(factor.phone);
        description.resendAvailableAt = challenges
          .resendAvailableAt({ ...challenge, lastSentAt: sentAt })
          .toISOString();
      } catch (error) {
        const budgetWait = budgetRefusalSeconds(error);
        if (budgetWait === undefined) throw error;
        // Step 1 always answers the challenge (DESIGN.md, limits): no SMS now, `sms` listed
        // with when it can be sent, and every other method the user has still usable.
        await issued.release();
        description.resendAvailableAt = new Date(sentAt.getTime() + budgetWait * 1000).toISOString();
      }
    }
    if (method === 'email') {
      const email = await emailFactor.addressOf(user.id);
      const issued = firstCode ?? (await challenges.issueCode(challenge));
      await emailDelivery.sendCodeLater(email, issued.code ?? '');
      description.sentTo = maskEmail(email);
      description.resendAvailableAt = challenges
        .resendAvailableAt({ ...challenge, lastSentAt: clock.now() })
        .toISOString();
    }
    return { mfaRequired: true, challenge: description };
  }

  /**
   * The factors `secondStepFor` read, kept on the request for the `start` that follows in the
   * same request (one read of the factors per sign-in, not two); taken once.
   */
  const factorsOfRequest = new WeakMap<object, { userId: number; factors: FactorRow[] }>();

  async function activeFactorsOnce(userId: number, keep: boolean): Promise<FactorRow[]> {
    const request = strapi.requestContext.get() as object | undefined;
    const kept = request === undefined ? undefined : factorsOfRequest.get(request);
    if (request !== undefined && kept !== undefined) {
      factorsOfRequest.delete(request);
      if (kept.userId === userId) return kept.factors;
    }
    const factors = await factorService.activeFactors(userId);
    if (keep && request !== undefined) factorsOfRequest.set(request, { userId, factors });
    return factors;
  }

  /** Active factors of methods the policy allows. */
  async function usableFactors(userId: number, keep = false): Promise<FactorRow[]> {
    const { allowedMethods } = settings.policy();
    const factors = await activeFactorsOnce(userId, keep);
    // Passkeys are not in the admin's list (it predates them): always usable once registered.
    return factors.filter((factor) => factor.type === 'passkey' || (allowedMethods as string[]).includes(factor.type));
  }

  /**
   * The enrolment-only login: a token that opens only the enrolment routes and becomes a
   * full login when a factor is activated (DESIGN.md, login step 1).
   */
  async function openEnrolmentFor(user: StrapiUserRow, firstFactor: FirstFactor): Promise<LoginEnrolmentBody> {
    const { token, challenge } = await challenges.create({
      purpose: 'enrol',
      userId: user.id,
      method: 'enrol',
      firstFactor,
    });
    return {
      mfaEnrollmentRequired: true,
      enrollment: { token, expiresAt: new Date(challenge.expiresAt).toISOString() },
    };
  }

  async function methodsFor(challenge: ChallengeRow): Promise<{ methods: SecondFactorMethod[]; factors: FactorRow[] }> {
    // Phone sign-in proves the phone and nothing else; a decoy challenge has no user.
    if (challenge.purpose === 'phone-login') return { methods: ['sms'], factors: [] };
    if (challenge.userId === null) return { methods: [], factors: [] };
    const factors = await factorService.activeFactors(challenge.userId);
    const remaining = await recoveryCodes.remaining(challenge.userId);
    return { methods: methodsOf(factors, remaining), factors };
  }

  /** Whether `methodsFor(challenge)` lists `method`, reading only what that method needs. */
  async function isMethodAvailable(challenge: ChallengeRow, method: string): Promise<boolean> {
    if (challenge.purpose === 'phone-login') return method === 'sms';
    if (challenge.userId === null) return false;
    if (method === 'recovery_code') return (await recoveryCodes.remaining(challenge.userId)) > 0;
    // A code sent for this challenge by its factor proves the factor: removing a factor
    // deletes its challenges, so the row needs no second read (issue 16).
    if ((method === 'sms' || method === 'email') && challenge.method === method && challenge.factorId !== null)
      return true;
    const factors = await factorService.activeFactors(challenge.userId);
    return factors.some((factor) => factor.type === method);
  }

  /**
   * The challenges `isMethodAvailable` accepts a sent code on without reading anything, as a
   * `WHERE` for trying the code by token: a phone sign-in's SMS code, or a password sign-in's
   * code sent by one of the user's factors. Keep the two together.
   */
  function sentCodeScope(method: 'sms' | 'email'): Omit<CodeAttemptScope, 'method'> {
    return { purposes: method === 'sms' ? LOGIN_PURPOSES : ['login'], factorBound: ['login'] };
  }

  return {
    async secondStepFor(userId) {
      const policy = settings.policy();
      if (policy.mode === 'off') return 'none';
      if ((await usableFactors(userId, true)).length > 0) return 'challenge';
      return (await enforcement.isRequiredFor(userId)) ? 'enrol' : 'none';
    },

    async start(user, ctx) {
      const factors = await usableFactors(user.id);
      // One read of the account's row: not locked, and the method it signed in with last.
      const remembered = await accountState.assertNotLocked(user.id);
      // Step 1 was a password, or a provider's sign-in (the OAuth callback's `:provider`).
      const provider = (ctx.params as { provider?: unknown } | undefined)?.provider;
      const firstFactor: FirstFactor = typeof provider === 'string' && provider !== 'local' ? 'fed' : 'pwd';
      if (factors.length === 0) return openEnrolmentFor(user, firstFactor);
      // A device trusted earlier skips the code, never the password (checked before this).
      const deviceToken = ctx.request.header[TRUSTED_DEVICE_HEADER];
      if (typeof deviceToken === 'string') {
        const rotated = await trustedDevices.redeemAndRotate(user.id, deviceToken);
        if (rotated !== undefined) {
          await events.record('trusted-device.used', user.id);
          const assurance = assuranceOfTrustedDevice(firstFactor, clock.now());
          return { ...(await issueStrapiTokens(strapi, ctx, user, { assurance })), trustedDevice: rotated };
        }
      }
      const deviceId = (ctx.request.body as { deviceId?: unknown } | undefined)?.deviceId;
      return openChallengeFor(
        user,
        factors,
        'login',
        typeof deviceId === 'string' && deviceId !== '' ? deviceId : undefined,
        firstFactor,
        remembered,
      );
    },

    async verify(ctx, input) {
      const signedInWith: { tokens?: Record<string, unknown>; userId?: number } = {};
      // In the consuming transaction when the method allows: the success's writes and Strapi's
      // session, one commit (its own would be a second; on SQLite, a second fsync). A throw
      // here, Strapi's included, undoes the success: no used challenge without its tokens.
      const signedIn = async (passed: ChallengeRow, assurance: Assurance): Promise<void> => {
        const user = passed.userId === null ? null : await users.findById(passed.userId);
        // The account may have been blocked or deleted while the code was on its way.
        if (user === null || user.blocked === true) throw twoFactorError('INVALID_CHALLENGE');
        await events.record('sign-in.succeeded', user.id, { method: input.method });
        signedInWith.tokens = await issueStrapiTokens(strapi, ctx, user, { deviceId: passed.deviceId, assurance });
        signedInWith.userId = user.id;
      };
      const signedInByCode =
        (method: VerificationMethod) =>
        (passed: ChallengeRow): Promise<void> =>
          signedIn(
            passed,
            passed.purpose === 'phone-login'
              ? assuranceOfPhoneSignIn(clock.now())
              : assuranceOfSignIn(firstFactorOf(passed), method, clock.now()),
          );
      // A code this plugin sent, tried by token in one statement where the database allows,
      // with `isMethodAvailable`'s conditions in its WHERE (`sentCodeScope`). When nothing
      // matches, the long way below names the reason.
      const method = input.method;
      const used =
        method === 'sms' || method === 'email'
          ? await challenges.verifyByToken(
              input.token,
              sentCodeScope(method),
              method,
              input.code,
              signedInByCode(method),
            )
          : undefined;
      if (used === undefined) {
        const challenge = await challenges.findOpen(input.token, LOGIN_PURPOSES);
        if (!isVerifiable(method) || !(await isMethodAvailable(challenge, method))) {
          throw twoFactorError('METHOD_NOT_AVAILABLE');
        }
        if (method === 'passkey') {
          if (challenge.userId === null) throw twoFactorError('METHOD_NOT_AVAILABLE');
          // Without user verification (only under 'preferred') a passkey still is the second
          // step after a password: possession of the key (DESIGN.md).
          const verified = await passkeys.verifyAssertion(challenge, input.response, {
            userId: challenge.userId,
            requireUserVerification: passkeys.requiresUserVerification(),
          });
          const passed = verified.challenge;
          await signedIn(passed, assuranceOfPasskeySecondStep(firstFactorOf(passed), verified.proof, clock.now()));
        } else {
          await challenges.verify(challenge, method, input.code, signedInByCode(method));
        }
      }
      const { tokens, userId } = signedInWith;
      if (tokens === undefined || userId === undefined) throw twoFactorError('INVALID_CHALLENGE');
      if (input.trustDevice !== true) return tokens;
      const trustedDevice = await trustedDevices.trust(userId, ctx.request.header['user-agent']);
      return { ...tokens, trustedDevice };
    },

    async send(input) {
      const challenge = await challenges.findOpen(input.token, LOGIN_PURPOSES);
      const { methods, factors } = await methodsFor(challenge);
      const method = input.method;
      if (method === 'passkey') {
        // The WebAuthn challenge lives 5 minutes, the sign-in 10: a new one for the same row.
        if (!(methods as string[]).includes('passkey') || challenge.userId === null)
          throw twoFactorError('METHOD_NOT_AVAILABLE');
        const passkeyChallenge = passkeys.newChallenge();
        const expiresAt = await challenges.renewPasskeyChallenge(
          challenge,
          passkeyChallenge,
          PASSKEY_CHALLENGE_LIFETIME_SECONDS,
        );
        return {
          passkeyOptions: await passkeys.requestOptions(passkeyChallenge, challenge.userId),
          expiresAt: expiresAt.toISOString(),
        };
      }
      const factor = factors.find((f) => f.type === method);
      if (!(methods as string[]).includes(method) || (method !== 'sms' && method !== 'email')) {
        throw twoFactorError('METHOD_NOT_AVAILABLE');
      }
      // Where the code goes: the challenge's number (phone sign-in), the factor's number, or
      // the account's email.
      const destination =
        method === 'email'
          ? challenge.userId === null
            ? null
            : await emailFactor.addressOf(challenge.userId)
          : challenge.purpose === 'phone-login'
            ? challenge.phone
            : (factor?.phone ?? null);
      if (destination === null) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const phone = method === 'sms' ? destination : challenge.phone;
      const switched = factor !== undefined && (challenge.method !== method || challenge.factorId !== factor.id);
      if (switched) {
        // Switching method (app → SMS, SMS → email …): the challenge now stands for this
        // factor, and the cooldown starts afresh for it (the cap of sends still counts all).
        await challenges.switchMethod(challenge, { method, factorId: factor.id, phone });
      }
      const issued = await challenges.issueCode({
        ...challenge,
        method,
        factorId: factor?.id ?? challenge.factorId,
        phone,
        lastSentAt: switched ? null : challenge.lastSentAt,
      });
      try {
        if (challenge.userId === null) {
          // A decoy phone sign-in: charged like a real one, sent nowhere.
          await smsDelivery.chargeBudgets(destination, 'phone-only');
        } else if (method === 'email') {
          await emailDelivery.sendCodeNow(destination, issued.code ?? '');
        } else {
          // The holder of the token already passed step 1: failures are told at once. A phone
          // sign-in's step 1 needed only the number, so its resends share that budget.
          const budget = challenge.purpose === 'phone-login' ? 'phone-only' : 'account';
          await smsDelivery.sendCodeNow(destination, issued.code ?? '', budget);
        }
      } catch (error) {
        await issued.release();
        throw error;
      }
      return describeDelivery(
        { settings, clock },
        method === 'email' ? maskEmail(destination) : maskPhone(destination),
      );
    },
  };
}
