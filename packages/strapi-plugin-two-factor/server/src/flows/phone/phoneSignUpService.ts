import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { assuranceOfPhoneSignIn } from '../../core/assurance/assurance';
import { issueStrapiTokens } from '../../core/assurance/issueStrapiTokens';
import type { ChallengeService } from '../../core/challenges/challengeService';
import { type CodeDelivery, describeDelivery } from '../../core/challenges/describeDelivery';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import type { FactorService } from '../../core/factors/factorService';
import type { RateLimitService } from '../../core/rate-limits/rateLimitService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { normalizePhone } from '../../platform/phone/normalizePhone';
import { maskPhone } from '../../platform/sms/maskPhone';
import type { FactorRow, FactorStore } from '../../platform/stores/factorStore';
import type { StrapiUserRow, UserStore } from '../../platform/stores/userStore';
import { validatePasswordRules } from './validatePasswordRules';

const ROLE_UID = 'plugin::users-permissions.role';

export interface PhoneRegistration {
  username: string;
  phone: string;
  email?: string;
  password?: string;
  /** Fields the app allows in `users-permissions.register.allowedFields`. */
  extra: Record<string, unknown>;
}

export interface Verification {
  verification: CodeDelivery;
}

export interface PhoneSignUpService {
  /** Creates an unconfirmed user holding `phone` and sends the code (awaited). */
  register(input: PhoneRegistration, ip: string): Promise<Verification>;
  /**
   * Proves the phone with the code and signs the user in: Strapi's login body. `confirmed`
   * keeps users-permissions' meaning (the email is proven): with its email confirmation on,
   * an email given at sign-up gets Strapi's confirmation mail and counts after its link.
   */
  verify(ctx: Context, phone: unknown, code: unknown): Promise<Record<string, unknown>>;
  /** A new code for a pending sign-up; the same answer for any other number. */
  resend(phone: unknown, ip: string): Promise<Verification>;
  /**
   * Deletes sign-ups never confirmed within `challengeLifetimeSeconds`, so they hold
   * neither the number nor the username; returns how many.
   */
  cleanupExpired(): Promise<number>;
}

interface AdvancedSettings {
  allow_register?: boolean;
  default_role?: string;
  email_confirmation?: boolean;
}

export function createPhoneSignUpService({
  strapi,
  challenges,
  clock,
  factors: factorService,
  rateLimits,
  settings,
  sms: smsDelivery,
  factorStore,
  users,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  factors: FactorService;
  rateLimits: RateLimitService;
  settings: SettingsService;
  sms: SmsDeliveryService;
  factorStore: FactorStore;
  users: UserStore;
}): PhoneSignUpService {
  const now = (): Date => clock.now();
  const config = () => settings.config();

  function verification(phone: string): Verification {
    return { verification: describeDelivery({ settings, clock }, maskPhone(phone)) };
  }

  function pendingSignUp(phone: string): Promise<FactorRow | null> {
    return factorStore.findPendingSignUp(phone);
  }

  /** Removes a sign-up: its challenges, its factor and the user it created (never a confirmed one). */
  async function discard(factor: FactorRow): Promise<void> {
    await strapi.db.transaction(async () => {
      await challenges.deleteForFactor(factor.id);
      await factorStore.delete(factor.id);
      await users.deleteUnconfirmed(factor.userId);
    });
  }

  return {
    async register(input, ip) {
      const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
      const settings = ((await store.get({ key: 'advanced' })) ?? {}) as AdvancedSettings;
      // users-permissions' own rules for sign-up (controllers/auth.js, register).
      if (settings.allow_register !== true) throw new errors.ApplicationError('Register action is currently disabled');
      const phone = normalizePhone(input.phone, config().phone);
      if (input.password !== undefined) await validatePasswordRules(strapi, input.password);
      await this.cleanupExpired();

      const email = input.email?.toLowerCase();
      const taken = await users.countByUsernameOrEmail(input.username, email);
      if (taken > 0) throw twoFactorError('ACCOUNT_EXISTS');
      if (await factorStore.isPhoneClaimed(phone)) throw twoFactorError('PHONE_TAKEN');

      const role = (await strapi.db
        .query(ROLE_UID)
        .findOne({ where: { type: settings.default_role ?? 'authenticated' } })) as {
        id: number;
      } | null;
      let factor: FactorRow;
      try {
        // One transaction: a crash leaves no user without its number, nor the reverse.
        factor = await strapi.db.transaction(async () => {
          const user = await users.create({
            ...input.extra,
            username: input.username,
            email: email ?? null,
            ...(input.password === undefined ? {} : { password: input.password }),
            provider: 'local',
            confirmed: false,
            blocked: false,
            role: role?.id,
          });
          // The unique index on claimed_phone makes two parallel sign-ups end with one user.
          return factorStore.create({
            userId: user.id,
            type: 'sms',
            status: 'pending',
            phone,
            claimedPhone: phone,
            label: maskPhone(phone),
            createdAt: now(),
          });
        });
      } catch (error) {
        if (await factorStore.isPhoneClaimed(phone)) throw twoFactorError('PHONE_TAKEN');
        throw error;
      }

      const { challenge } = await challenges.create({
        purpose: 'signup',
        userId: factor.userId,
        factorId: factor.id,
        method: 'sms',
        phone,
      });
      try {
        const issued = await challenges.issueCode(challenge);
        // Awaited: the person must learn now that the number cannot receive SMS.
        // A sign-up needs only a number: the phone-only budget, like `phone/resend` (DESIGN.md).
        await smsDelivery.sendCodeNow(phone, issued.code ?? '', 'phone-only', ip);
      } catch (error) {
        // Nothing half-made may block a retry with the same number or username.
        await discard(factor);
        throw error;
      }
      return verification(phone);
    },

    async verify(ctx, phoneInput, code) {
      const phone = normalizePhone(phoneInput, config().phone);
      const factor = await pendingSignUp(phone);
      if (factor === null) throw twoFactorError('INVALID_CODE');
      const challenge = await challenges.findNewestOpen({ factorId: factor.id }, 'signup');
      if (challenge === undefined) throw twoFactorError('CHALLENGE_EXPIRED');
      await challenges.verify(challenge, 'sms', code);
      const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
      const settings = ((await store.get({ key: 'advanced' })) ?? {}) as AdvancedSettings;
      const signedUp = (await users.findById(factor.userId)) as StrapiUserRow;
      // An SMS proves the phone only (issue 11): an email anyone could have typed is not
      // proven by it. With users-permissions' confirmation on, the address stays unconfirmed
      // until Strapi's own link is followed; without an email there is nothing to confirm.
      const emailToConfirm =
        settings.email_confirmation === true && typeof signedUp.email === 'string' && signedUp.email !== '';
      await strapi.db.transaction(async () => {
        await users.setConfirmed(factor.userId, !emailToConfirm);
        await factorStore.activate(factor.id, now(), { used: true });
      });
      // The number is the user's first factor: the recovery codes are shown this once.
      const recoveryCodes = await factorService.afterActivation(factor.userId, factor.id);
      const user = (await users.findById(factor.userId)) as StrapiUserRow;
      if (emailToConfirm) {
        try {
          // Sent once the phone is proven, not at register: no mail to a stranger's address
          // for a sign-up nobody finishes. The user can ask again (send-email-confirmation).
          await strapi.plugin('users-permissions').service('user').sendConfirmationEmail(user);
        } catch (error) {
          strapi.log.warn(`[two-factor] confirmation email after phone sign-up failed: ${(error as Error).name}`);
        }
      }
      // The code proved the phone and nothing else (a password, if any, was only chosen).
      const tokens = await issueStrapiTokens(strapi, ctx, user, { assurance: assuranceOfPhoneSignIn(now()) });
      return recoveryCodes === undefined ? tokens : { ...tokens, recoveryCodes };
    },

    async resend(phoneInput, ip) {
      const phone = normalizePhone(phoneInput, config().phone);
      // Per number, known or not, so the answer never tells a pending sign-up apart.
      await rateLimits.consume('phone-resend', phone, 'RESEND_TOO_SOON');
      await smsDelivery.chargeBudgets(phone, 'phone-only', ip);
      const factor = await pendingSignUp(phone);
      // Asked for unknown numbers too (factor 0 exists nowhere), so both paths do the same work.
      const challenge = await challenges.findNewestOpen({ factorId: factor?.id ?? 0 }, 'signup');
      if (challenge === undefined) {
        await challenges.issueNoCode();
      } else {
        try {
          const issued = await challenges.issueCode(challenge);
          // After the response: Twilio's latency must not tell a pending sign-up apart.
          smsDelivery.enqueueCode(phone, issued.code ?? '');
        } catch (error) {
          // Too soon or too many for this sign-up: said to nobody, and as costly as a send.
          strapi.log.info(`[two-factor] sign-up resend to ${maskPhone(phone)} not sent: ${(error as Error).message}`);
          await challenges.issueNoCode();
        }
      }
      return verification(phone);
    },

    async cleanupExpired() {
      const cutoff = new Date(now().getTime() - config().challengeLifetimeSeconds * 1000);
      const expired = await factorStore.expiredSignUps(cutoff, 100);
      for (const factor of expired) await discard(factor);
      return expired.length;
    },
  };
}
