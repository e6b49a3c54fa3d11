import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Reauthentication } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { raiseSessionAssurance, reissueAccessToken } from '../../core/assurance/accessTokenClaims';
import {
  type Assurance,
  assuranceAfterPasskeyStepUp,
  assuranceAfterStepUp,
  type PasskeyProof,
  readAssurance,
} from '../../core/assurance/assurance';
import { verifiedAccessTokenPayload } from '../../core/assurance/currentAssurance';
import type { ChallengeService, VerificationMethod } from '../../core/challenges/challengeService';
import { describeDelivery } from '../../core/challenges/describeDelivery';
import type { EmailDeliveryService } from '../../core/delivery/emailDeliveryService';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import type { FactorService } from '../../core/factors/factorService';
import type { RecoveryCodeService } from '../../core/recovery-codes/recoveryCodeService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { EmailFactorService } from '../../factors/email/emailFactorService';
import type { PasskeyService } from '../../factors/passkey/passkeyService';
import { PASSKEY_CHALLENGE_LIFETIME_SECONDS } from '../../factors/passkey/passkeyService';
import type { ClockService } from '../../platform/clock/clockService';
import { maskEmail } from '../../platform/email/maskEmail';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { maskPhone } from '../../platform/sms/maskPhone';

/** The methods whose code the server sends (`step-up/send`). */
export type SentCodeMethod = 'sms' | 'email';

/** What a user can re-authenticate with. */
export type ReauthenticationMethod = VerificationMethod | 'passkey';

/** What a re-authentication proved: the method, and for a passkey its flags. */
export interface ReauthenticationResult {
  method: ReauthenticationMethod;
  passkey?: PasskeyProof;
}

export interface StepUpService {
  /** Sends a fresh SMS or email code to the user's factor, for a change that needs re-authentication. */
  sendCode(
    userId: number,
    method: SentCodeMethod,
  ): Promise<{ sentTo: string; expiresAt: string; resendAvailableAt: string }>;
  /**
   * Proves the signed-in user holds a factor right now (a fresh code), with the same attempt
   * caps and lock-out as sign-in. Throws the contract's errors otherwise.
   */
  reauthenticate(userId: number, proof: Reauthentication): Promise<ReauthenticationResult>;
  /**
   * `step-up/send {method: "passkey"}`: request options (the user's passkeys) bound to a new
   * step-up challenge of at most 5 minutes.
   */
  passkeyOptions(userId: number): Promise<{ passkeyOptions: PublicKeyCredentialRequestOptionsJSON }>;
  /**
   * Step-up without a new sign-in: a fresh code raises the request's session (`amr` gains the
   * method, `aal` 2 for a password session and an AAL2 factor, `auth_time` now) and answers a
   * new access token. In refresh mode the session itself records it, so refreshes keep it.
   */
  raise(ctx: Context, userId: number, proof: Reauthentication): Promise<{ jwt: string }>;
  /** The methods the user can re-authenticate with now. */
  methodsFor(userId: number): Promise<ReauthenticationMethod[]>;
}

export function createStepUpService({
  strapi,
  challenges,
  clock,
  email: emailDelivery,
  emailFactor,
  factors: factorService,
  passkeys,
  recoveryCodes,
  settings,
  sms: smsDelivery,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  email: EmailDeliveryService;
  emailFactor: EmailFactorService;
  factors: FactorService;
  passkeys: PasskeyService;
  recoveryCodes: RecoveryCodeService;
  settings: SettingsService;
  sms: SmsDeliveryService;
}): StepUpService {
  /** Where the code goes: the active factor's number, or the account's address for email. */
  async function destinationOf(userId: number, method: SentCodeMethod): Promise<{ factorId: number; to: string }> {
    const factor = (await factorService.activeFactors(userId)).find((f) => f.type === method);
    if (factor === undefined) throw twoFactorError('METHOD_NOT_AVAILABLE');
    if (method === 'email') return { factorId: factor.id, to: await emailFactor.addressOf(userId) };
    if (factor.phone === null) throw twoFactorError('METHOD_NOT_AVAILABLE');
    return { factorId: factor.id, to: factor.phone };
  }

  return {
    async sendCode(userId, method) {
      const { factorId, to } = await destinationOf(userId, method);
      const challenge =
        (await challenges.findNewestOpen({ userId, method }, 'step-up')) ??
        (
          await challenges.create({
            purpose: 'step-up',
            userId,
            factorId,
            method,
            phone: method === 'sms' ? to : null,
          })
        ).challenge;
      const issued = await challenges.issueCode(challenge);
      try {
        if (method === 'sms') await smsDelivery.sendCodeNow(to, issued.code ?? '', 'account');
        else await emailDelivery.sendCodeNow(to, issued.code ?? '');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return describeDelivery({ settings, clock }, method === 'sms' ? maskPhone(to) : maskEmail(to));
    },

    async passkeyOptions(userId) {
      if (!(await passkeys.hasPasskey(userId))) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const passkeyChallenge = passkeys.newChallenge();
      await challenges.create({
        purpose: 'step-up',
        userId,
        method: 'passkey',
        lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS,
        passkeyChallenge: { challenge: passkeyChallenge, lifetimeSeconds: PASSKEY_CHALLENGE_LIFETIME_SECONDS },
      });
      return { passkeyOptions: await passkeys.requestOptions(passkeyChallenge, userId) };
    },

    async reauthenticate(userId, proof) {
      if (proof.method === 'passkey') {
        // The options `step-up/send` gave out; the newest one is the one the browser signed.
        const challenge = await challenges.findNewestOpen({ userId, method: 'passkey' }, 'step-up');
        if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
        const verified = await passkeys.verifyAssertion(challenge, proof.response, {
          userId,
          requireUserVerification: passkeys.requiresUserVerification(),
        });
        return { method: 'passkey', passkey: verified.proof };
      }
      const { method, code } = proof;
      if (method === 'sms' || method === 'email') {
        // The code `step-up/send` sent by this method; it is judged by that challenge alone.
        const challenge = await challenges.findNewestOpen({ userId, method }, 'step-up');
        if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
        await challenges.verify(challenge, method, code);
        return { method };
      }
      const factors = await factorService.activeFactors(userId);
      const available =
        method === 'totp' ? factors.some((f) => f.type === 'totp') : (await recoveryCodes.remaining(userId)) > 0;
      if (!available) throw twoFactorError('METHOD_NOT_AVAILABLE');
      // A challenge of its own, so these codes get the same attempt cap and lock-out.
      const { challenge } = await challenges.create({ purpose: 'step-up', userId, method });
      await challenges.verify(challenge, method, code);
      return { method };
    },

    async raise(ctx, userId, proof) {
      const payload = await verifiedAccessTokenPayload(strapi, ctx);
      if (payload === undefined) throw new errors.UnauthorizedError('Missing or invalid credentials');
      const result = await this.reauthenticate(userId, proof);
      const at = clock.now();
      const current = readAssurance(payload);
      const raised: Assurance =
        result.passkey !== undefined
          ? assuranceAfterPasskeyStepUp(current, result.passkey, at)
          : assuranceAfterStepUp(current, result.method as VerificationMethod, at);
      const mode = strapi.config.get<string>('plugin::users-permissions.jwtManagement', 'legacy-support');
      if (mode !== 'refresh') {
        // Legacy tokens are the session: the new one is the raised session.
        const jwt = strapi
          .plugin('users-permissions')
          .service('jwt')
          .issue({ id: userId, ...raised }) as string;
        return { jwt };
      }
      const sessionId = typeof payload.sessionId === 'string' ? payload.sessionId : undefined;
      if (sessionId === undefined || !(await raiseSessionAssurance(strapi, sessionId, raised))) {
        // The session behind this still-valid access token was ended: nothing left to raise.
        throw new errors.UnauthorizedError('Missing or invalid credentials');
      }
      return { jwt: reissueAccessToken(strapi, payload, raised) };
    },

    async methodsFor(userId) {
      const types = new Set((await factorService.activeFactors(userId)).map((f) => f.type));
      const methods: ReauthenticationMethod[] = (['passkey', 'sms', 'email', 'totp'] as const).filter((type) =>
        types.has(type),
      );
      if ((await recoveryCodes.remaining(userId)) > 0) methods.push('recovery_code');
      return methods;
    },
  };
}
