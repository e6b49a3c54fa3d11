import type { ChallengeService } from '../../core/challenges/challengeService';
import { describeDelivery } from '../../core/challenges/describeDelivery';
import type { SmsDeliveryService } from '../../core/delivery/smsDeliveryService';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { AuthorizeAddition, FactorService } from '../../core/factors/factorService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { normalizePhone } from '../../platform/phone/normalizePhone';
import { maskPhone } from '../../platform/sms/maskPhone';
import type { FactorRow, FactorStore } from '../../platform/stores/factorStore';

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
  challenges,
  clock,
  factors: factorService,
  settings,
  sms: smsDelivery,
  factorStore,
}: {
  challenges: ChallengeService;
  clock: ClockService;
  factors: FactorService;
  settings: SettingsService;
  sms: SmsDeliveryService;
  factorStore: FactorStore;
}): SmsFactorService {
  const now = (): Date => clock.now();

  async function pendingFactorFor(userId: number, phone: string): Promise<FactorRow> {
    const existing = await factorStore.findPending(userId, 'sms', phone);
    if (existing !== null) return existing;
    return factorStore.create({
      userId,
      type: 'sms',
      status: 'pending',
      phone,
      label: maskPhone(phone),
      createdAt: now(),
    });
  }

  return {
    async setup(userId, phoneInput, authorize) {
      if (!settings.policy().allowedMethods.includes('sms')) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const { phone: rules } = settings.config();
      const phone = normalizePhone(phoneInput, rules);
      const owner = await factorStore.findByClaimedPhone(phone);
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
        await factorStore.activatePendingSms(factor.id, factor.phone, now());
      } catch {
        throw twoFactorError('PHONE_TAKEN');
      }
      const recoveryCodes = await factorService.afterActivation(userId, factor.id);
      const activated = (await factorService.findOwned(userId, factor.id)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }) };
    },
  };
}
