import type { Core } from '@strapi/strapi';
import type { ChallengeService } from '../../core/challenges/challengeService';
import { describeDelivery } from '../../core/challenges/describeDelivery';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { FactorService } from '../../core/factors/factorService';
import { type AuthorizeAddition, FACTOR_UID, type FactorRow } from '../../core/factors/factorService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { normalizePhone } from '../../platform/phone/normalizePhone';
import { maskPhone } from '../../platform/sms/maskPhone';

export interface SmsFactorService {
  /**
   * Starts enrolling `phone` for the user: a pending factor and a code sent at once.
   * `authorize` runs once the request is valid and before anything is written.
   */
  setup(
    userId: number,
    phone: unknown,
    authorize: AuthorizeAddition,
  ): Promise<{ factorId: number; sentTo: string; expiresAt: string; resendAvailableAt: string }>;
  /** Activates the pending factor with the code it received. */
  activate(
    userId: number,
    factorId: unknown,
    code: unknown,
  ): Promise<{ factor: FactorDescription; recoveryCodes?: string[] }>;
}

export function createSmsFactorService({
  strapi,
  challenges,
  clock,
  factors: factorService,
  settings,
  sms: smsDelivery,
}: {
  strapi: Core.Strapi;
  challenges: ChallengeService;
  clock: ClockService;
  factors: FactorService;
  settings: SettingsService;
  sms: SmsDeliveryService;
}): SmsFactorService {
  const factors = () => strapi.db.query(FACTOR_UID);
  const now = (): Date => clock.now();

  async function pendingFactorFor(userId: number, phone: string): Promise<FactorRow> {
    const existing = (await factors().findOne({
      where: { userId, type: 'sms', status: 'pending', phone },
    })) as FactorRow | null;
    if (existing !== null) return existing;
    const createdAt = now();
    return (await factors().create({
      data: { userId, type: 'sms', status: 'pending', phone, label: maskPhone(phone), createdAt, updatedAt: createdAt },
    })) as FactorRow;
  }

  return {
    async setup(userId, phoneInput, authorize) {
      if (!settings.policy().allowedMethods.includes('sms')) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const { phone: rules } = settings.config();
      const phone = normalizePhone(phoneInput, rules);
      const owner = (await factors().findOne({ where: { claimedPhone: phone } })) as FactorRow | null;
      if (owner !== null) throw twoFactorError(owner.userId === userId ? 'ALREADY_ENROLLED' : 'PHONE_TAKEN');
      await authorize();

      const factor = await pendingFactorFor(userId, phone);
      const challenge =
        (await challenges.findNewestOpen({ factorId: factor.id }, 'enrol')) ??
        (await challenges.create({ purpose: 'enrol', userId, factorId: factor.id, method: 'sms', phone })).challenge;

      const issued = await challenges.issueCode(challenge);
      try {
        // Awaited: the user must learn at once that the number cannot receive SMS.
        await smsDelivery.sendCodeNow(phone, issued.code ?? '', 'account');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return { factorId: factor.id, ...describeDelivery({ settings, clock }, maskPhone(phone)) };
    },

    async activate(userId, factorIdInput, code) {
      const factorId = Number(factorIdInput);
      if (!Number.isInteger(factorId) || factorId <= 0) throw twoFactorError('INVALID_INPUT', { fields: ['factorId'] });
      const factor = await factorService.findOwned(userId, factorId);
      if (factor === null || factor.type !== 'sms' || factor.phone === null) throw twoFactorError('NOT_FOUND');
      if (factor.status === 'active') throw twoFactorError('ALREADY_ENROLLED');

      const challenge = await challenges.findNewestOpen({ factorId: factor.id }, 'enrol');
      if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
      await challenges.verify(challenge, 'sms', code);
      try {
        // The unique index on claimed_phone decides a race between two users for one number.
        await factors().updateMany({
          where: { id: factor.id, status: 'pending' },
          data: { status: 'active', claimedPhone: factor.phone, updatedAt: now() },
        });
      } catch {
        throw twoFactorError('PHONE_TAKEN');
      }
      const recoveryCodes = await factorService.afterActivation(userId, factor.id);
      const activated = (await factorService.findOwned(userId, factor.id)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }) };
    },
  };
}
