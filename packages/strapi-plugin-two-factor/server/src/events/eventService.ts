import type { Core } from '@strapi/strapi';
import { getService } from '../utils/getService';

export type TwoFactorEventType =
  | 'factor.enrolled'
  | 'factor.removed'
  | 'recovery-codes.regenerated'
  | 'recovery-code.used'
  | 'policy.changed'
  | 'sign-in.succeeded'
  | 'sign-in.failed'
  | 'account.locked'
  | 'account.unlocked'
  | 'factors.reset'
  | 'trusted-device.used';

export interface EventService {
  /** Appends to the audit log. `details` must never hold a code, a secret or a token. */
  record(type: TwoFactorEventType, userId: number | null, details?: Record<string, unknown>): Promise<void>;
}

export function createEventService({ strapi }: { strapi: Core.Strapi }): EventService {
  return {
    async record(type, userId, details = {}) {
      const createdAt = getService(strapi, 'clock').now();
      // createMany: one INSERT, where create() would read the row back for nobody.
      await strapi.db
        .query('plugin::two-factor.event')
        .createMany({ data: [{ type, userId, details, createdAt, updatedAt: createdAt }] });
    },
  };
}
