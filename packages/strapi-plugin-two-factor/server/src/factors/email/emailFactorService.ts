import type { ChallengeService } from '../../core/challenges/challengeService';
import { type CodeDelivery, describeDelivery } from '../../core/challenges/describeDelivery';
import type { EmailDeliveryService } from '../../core/delivery/emailDeliveryService';
import { describeFactor, type FactorDescription } from '../../core/factors/describeFactor';
import type { AuthorizeAddition, FactorService } from '../../core/factors/factorService';
import type { SettingsService } from '../../core/settings/settingsService';
import type { ClockService } from '../../platform/clock/clockService';
import { maskEmail } from '../../platform/email/maskEmail';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import type { FactorRow, FactorStore } from '../../platform/stores/factorStore';
import type { UserStore } from '../../platform/stores/userStore';

export interface EmailFactorService {
  /**
   * Starts enrolling the account's email: a pending factor and a code sent at once.
   * `authorize` runs once the request is valid and before anything is written.
   */
  setup(userId: number, authorize: AuthorizeAddition): Promise<{ factorId: number } & CodeDelivery>;
  activate(
    userId: number,
    factorId: number,
    code: string,
  ): Promise<{ factor: FactorDescription; recoveryCodes?: string[] }>;
  /** The address codes go to: the account's email, read at send time. */
  addressOf(userId: number): Promise<string>;
}

export function createEmailFactorService({
  challenges,
  clock,
  email: emailDelivery,
  factors: factorService,
  settings,
  factorStore,
  users,
}: {
  challenges: ChallengeService;
  clock: ClockService;
  email: EmailDeliveryService;
  factors: FactorService;
  settings: SettingsService;
  factorStore: FactorStore;
  users: UserStore;
}): EmailFactorService {
  const now = (): Date => clock.now();

  return {
    async addressOf(userId) {
      const user = await users.findById(userId);
      if (typeof user?.email !== 'string' || user.email === '') throw twoFactorError('METHOD_NOT_AVAILABLE');
      return user.email;
    },

    async setup(userId, authorize) {
      if (!settings.policy().allowedMethods.includes('email')) throw twoFactorError('METHOD_NOT_AVAILABLE');
      const email = await this.addressOf(userId);
      if (await factorStore.countActive(userId, 'email')) throw twoFactorError('ALREADY_ENROLLED');
      await authorize();
      const createdAt = now();
      const factor =
        (await factorStore.findPending(userId, 'email')) ??
        (await factorStore.create({ userId, type: 'email', status: 'pending', label: maskEmail(email), createdAt }));
      const challenge =
        (await challenges.findNewestOpen({ factorId: factor.id }, 'enrol')) ??
        (await challenges.create({ purpose: 'enrol', userId, factorId: factor.id, method: 'email' })).challenge;
      const issued = await challenges.issueCode(challenge);
      try {
        await emailDelivery.sendCodeNow(email, issued.code ?? '');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return { factorId: factor.id, ...describeDelivery({ settings, clock }, maskEmail(email)) };
    },

    async activate(userId, factorId, code) {
      const factor = await factorService.findOwned(userId, factorId);
      if (factor === null || factor.type !== 'email') throw twoFactorError('NOT_FOUND');
      if (factor.status === 'active') throw twoFactorError('ALREADY_ENROLLED');
      const challenge = await challenges.findNewestOpen({ factorId: factor.id }, 'enrol');
      if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
      await challenges.verify(challenge, 'email', code);
      await factorStore.activate(factor.id, now());
      const recoveryCodes = await factorService.afterActivation(userId, factor.id);
      const activated = (await factorService.findOwned(userId, factor.id)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }) };
    },
  };
}
