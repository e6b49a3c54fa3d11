import { policyFromConfig } from '../core/settings/policy';
import type { SettingsService } from '../core/settings/settingsService';
import type { ClockService } from '../platform/clock/clockService';
import type { TwoFactorConfig } from '../platform/config/pluginConfigSchema';
import { validatePluginConfig } from '../platform/config/validatePluginConfig';

/** A clock that stands still until `travel` moves it (unit tests). */
export function createFakeClock(start = new Date('2030-01-01T00:00:00.000Z')): ClockService {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    travel(milliseconds) {
      now += milliseconds;
    },
  };
}

/** The settings service over the configuration's defaults, with `overrides`, and no admin-stored policy (unit tests). */
export function createSettingsStub(overrides: Record<string, unknown> = {}): SettingsService {
  const config: TwoFactorConfig = validatePluginConfig(overrides);
  return {
    config: () => config,
    // What the file configuration implies, as with no policy stored by an admin.
    policy: () => policyFromConfig(config, { emailProviderConfigured: true }),
    reload: async () => undefined,
    updatePolicy: async () => {
      throw new Error('The settings stub cannot change the policy');
    },
    encryptionKey: () => undefined,
  };
}
