import type { ClockService } from '../../platform/clock/clockService';
import type { SettingsService } from '../settings/settingsService';

export interface CodeDelivery {
  sentTo: string;
  /** When the code just sent stops working. */
  expiresAt: string;
  /** When the client may ask for another one. */
  resendAvailableAt: string;
}

/** What every route that sends a code answers, from the plugin's clock and lifetimes. */
export function describeDelivery(
  { settings, clock }: { settings: SettingsService; clock: ClockService },
  sentTo: string,
): CodeDelivery {
  const { codeLifetimeSeconds, resendCooldownSeconds } = settings.config();
  const sentAt = clock.now().getTime();
  return {
    sentTo,
    expiresAt: new Date(sentAt + codeLifetimeSeconds * 1000).toISOString(),
    resendAvailableAt: new Date(sentAt + resendCooldownSeconds * 1000).toISOString(),
  };
}
