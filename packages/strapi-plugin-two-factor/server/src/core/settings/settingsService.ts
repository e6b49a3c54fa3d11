import type { Core } from '@strapi/strapi';
import type { TwoFactorConfig } from '../../platform/config/pluginConfigSchema';
import { validatePluginConfig } from '../../platform/config/validatePluginConfig';
import { isEmailProviderConfigured } from '../../platform/email/isEmailProviderConfigured';
import { parseInput } from '../../platform/errors/parseInput';
import { PLUGIN_ID } from '../../platform/pluginId';
import type { EventService } from '../events/eventService';
import { applyPolicy, type Policy, policyFromConfig, policySchema, relaxations } from './policy';

const POLICY_KEY = 'policy';

export interface SettingsService {
  /** The app's options, validated, every default filled in, with the admin's policy applied. */
  config(): TwoFactorConfig;
  /** The policy in force (plugin store, else what the file configuration implies). */
  policy(): Policy;
  /** Reads the policy from the plugin store; run at start-up and regularly (other instances may change it). */
  reload(): Promise<void>;
  /** Validates and stores a new policy; relaxations go to the audit log. */
  updatePolicy(input: unknown, actor: string): Promise<{ policy: Policy; relaxed: string[] }>;
  /**
   * The key material secrets are derived from: the plugin's `encryptionKey`, else Strapi's
   * `admin.secrets.encryptionKey`; `undefined` when neither is set.
   */
  encryptionKey(): string | undefined;
}

export function createSettingsService({
  strapi,
  events,
}: {
  strapi: Core.Strapi;
  events: EventService;
}): SettingsService {
  let fileConfig: TwoFactorConfig | undefined;
  let stored: Policy | undefined;
  let effective: TwoFactorConfig | undefined;

  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  const parsedFileConfig = (): TwoFactorConfig => {
    // Strapi already ran the validator at start-up; parsing again fills the defaults.
    fileConfig ??= validatePluginConfig(strapi.config.get(`plugin::${PLUGIN_ID}`, {}));
    return fileConfig;
  };

  return {
    config() {
      effective ??= stored === undefined ? parsedFileConfig() : applyPolicy(parsedFileConfig(), stored);
      return effective;
    },

    policy() {
      return (
        stored ?? policyFromConfig(parsedFileConfig(), { emailProviderConfigured: isEmailProviderConfigured(strapi) })
      );
    },

    async reload() {
      const raw = await store().get({ key: POLICY_KEY });
      const parsed = raw === null || raw === undefined ? undefined : policySchema.safeParse(raw);
      if (parsed !== undefined && !parsed.success) {
        strapi.log.warn('[two-factor] the stored policy is not valid; using the file configuration');
      }
      stored = parsed?.success === true ? parsed.data : undefined;
      effective = undefined;
    },

    async updatePolicy(input, actor) {
      const after = parseInput(policySchema, input);
      const before = this.policy();
      await store().set({ key: POLICY_KEY, value: after });
      stored = after;
      effective = undefined;
      const relaxed = relaxations(before, after);
      await events.record('policy.changed', null, { actor, relaxed });
      return { policy: after, relaxed };
    },

    encryptionKey() {
      const own = parsedFileConfig().encryptionKey;
      if (own !== undefined) return own;
      const strapiKey = strapi.config.get<string | undefined>('admin.secrets.encryptionKey');
      return typeof strapiKey === 'string' && strapiKey.length > 0 ? strapiKey : undefined;
    },
  };
}
