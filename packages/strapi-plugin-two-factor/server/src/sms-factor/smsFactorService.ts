import type { Core } from '@strapi/strapi';
import { twoFactorError } from '../errors/twoFactorError';
import type { AuthorizeAddition } from '../factors/authorizeFactorAddition';
import { describeFactor, type FactorDescription } from '../factors/describeFactor';
import { FACTOR_UID, type FactorRow } from '../factors/factorService';
import { describeDelivery } from '../login-challenge/describeDelivery';
import { normalizePhone } from '../phone/normalizePhone';
import { maskPhone } from '../sms/maskPhone';
import { getService } from '../utils/getService';

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

export function createSmsFactorService({ strapi }: { strapi: Core.Strapi }): SmsFactorService {
  const factors = () => strapi.db.query(FACTOR_UID);
  const now = (): Date => getService(strapi, 'clock').now();
  const challenges = () => getService(strapi, 'challenges');

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
      if (!getService(strapi, 'settings').policy().allowedMethods.includes('sms'))
        throw twoFactorError('METHOD_NOT_AVAILABLE');
      const { phone: rules } = getService(strapi, 'settings').config();
      const phone = normalizePhone(phoneInput, rules);
      const owner = (await factors().findOne({ where: { claimedPhone: phone } })) as FactorRow | null;
      if (owner !== null) throw twoFactorError(owner.userId === userId ? 'ALREADY_ENROLLED' : 'PHONE_TAKEN');
      await authorize();

      const factor = await pendingFactorFor(userId, phone);
      const challenge =
        (await challenges().findNewestOpen({ factorId: factor.id }, 'enrol')) ??
        (await challenges().create({ purpose: 'enrol', userId, factorId: factor.id, method: 'sms', phone })).challenge;

      const issued = await challenges().issueCode(challenge);
      try {
        // Awaited: the user must learn at once that the number cannot receive SMS.
        await getService(strapi, 'sms').sendCodeNow(phone, issued.code ?? '', 'account');
      } catch (error) {
        await issued.release();
        throw error;
      }
      return { factorId: factor.id, ...describeDelivery(strapi, maskPhone(phone)) };
    },

    async activate(userId, factorIdInput, code) {
      const factorId = Number(factorIdInput);
      if (!Number.isInteger(factorId) || factorId <= 0) throw twoFactorError('INVALID_INPUT', { fields: ['factorId'] });
      const factor = await getService(strapi, 'factors').findOwned(userId, factorId);
      if (factor === null || factor.type !== 'sms' || factor.phone === null) throw twoFactorError('NOT_FOUND');
      if (factor.status === 'active') throw twoFactorError('ALREADY_ENROLLED');

      const challenge = await challenges().findNewestOpen({ factorId: factor.id }, 'enrol');
      if (challenge === undefined) throw twoFactorError('CODE_NOT_SENT');
      await challenges().verify(challenge, 'sms', code);
      try {
        // The unique index on claimed_phone decides a race between two users for one number.
        await factors().updateMany({
          where: { id: factor.id, status: 'pending' },
          data: { status: 'active', claimedPhone: factor.phone, updatedAt: now() },
        });
      } catch {
        throw twoFactorError('PHONE_TAKEN');
      }
      const recoveryCodes = await getService(strapi, 'factors').afterActivation(userId, factor.id);
      const activated = (await getService(strapi, 'factors').findOwned(userId, factor.id)) as FactorRow;
      return { factor: describeFactor(activated), ...(recoveryCodes === undefined ? {} : { recoveryCodes }) };
    },
  };
}
