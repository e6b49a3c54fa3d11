import type { Core } from '@strapi/strapi';
import type { SettingsService } from '../../core/settings/settingsService';
import type { AdminEventService } from '../admin/adminEventService';
import type { PhoneSignUpService } from '../phone/phoneSignUpService';

/** Another instance may change the policy in the admin panel: pick it up this often. */
const POLICY_RELOAD_MILLISECONDS = 15_000;

export interface MaintenanceService {
  /**
   * Runs the clean-ups every `intervalMilliseconds` and reloads the policy every 15 s;
   * the timers never keep Node alive.
   */
  start(intervalMilliseconds: number): void;
  stop(): void;
  /** Drops expired sign-ups and audit events past `eventRetentionDays`; returns what went. */
  runOnce(): Promise<{ expiredSignUps: number; prunedEvents: number }>;
}

export function createMaintenanceService({
  strapi,
  adminEvents,
  phoneSignUp,
  settings,
}: {
  strapi: Core.Strapi;
  adminEvents: AdminEventService;
  phoneSignUp: PhoneSignUpService;
  settings: SettingsService;
}): MaintenanceService {
  const timers: NodeJS.Timeout[] = [];
  const every = (milliseconds: number, work: () => Promise<unknown>, what: string): void => {
    const timer = setInterval(() => {
      work().catch((error: unknown) => strapi.log.warn(`[two-factor] ${what} failed: ${(error as Error).message}`));
    }, milliseconds);
    timer.unref();
    timers.push(timer);
  };

  return {
    start(intervalMilliseconds) {
      every(intervalMilliseconds, () => this.runOnce(), 'clean-up');
      every(POLICY_RELOAD_MILLISECONDS, () => settings.reload(), 'policy reload');
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
    async runOnce() {
      const expiredSignUps = await phoneSignUp.cleanupExpired();
      const prunedEvents = await adminEvents.pruneEvents();
      return { expiredSignUps, prunedEvents };
    },
  };
}
