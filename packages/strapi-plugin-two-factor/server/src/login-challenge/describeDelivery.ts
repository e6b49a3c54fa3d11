import type { Core } from '@strapi/strapi';
import { getService } from '../utils/getService';

export interface CodeDelivery {
  sentTo: string;
  /** When the code just sent stops working. */
  expiresAt: string;
  /** When the client may ask for another one. */
  resendAvailableAt: string;
}

/** What every route that sends a code answers, from the plugin's clock and lifetimes. */
export function describeDelivery(strapi: Core.Strapi, sentTo: string): CodeDelivery {
  const { codeLifetimeSeconds, resendCooldownSeconds } = getService(strapi, 'settings').config();
  const sentAt = getService(strapi, 'clock').now().getTime();
  return {
    sentTo,
    expiresAt: new Date(sentAt + codeLifetimeSeconds * 1000).toISOString(),
    resendAvailableAt: new Date(sentAt + resendCooldownSeconds * 1000).toISOString(),
  };
}
