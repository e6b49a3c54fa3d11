import { z } from 'zod';
import { refuseCooldownNotShorterThanLifetime, type TwoFactorConfig } from '../../platform/config/pluginConfigSchema';

/** The policy's options, each with its bounds (the admin panel shows them). */
export const policyFields = z
  .object({
    /** `off`: nobody gets a second step; `optional`: those with a factor do; `required`: everyone. */
    mode: z.enum(['off', 'optional', 'required']),
    /** users-permissions role types (e.g. `authenticated`) whose users must enrol when mode is `optional`. */
    requiredRoles: z.array(z.string().min(1).max(100)).max(100),
    /** Methods users may enrol and answer with. */
    allowedMethods: z.array(z.enum(['sms', 'totp', 'email'])).min(1),
    codeLength: z.number().int().min(6).max(8),
    codeLifetimeSeconds: z.number().int().min(60).max(600),
    maxAttemptsPerChallenge: z.number().int().min(1).max(10),
    maxConsecutiveFailures: z.number().int().min(3).max(100),
    lockoutSeconds: z.number().int().min(60).max(86_400),
    resendCooldownSeconds: z.number().int().min(30).max(600),
    maxSendsPerChallenge: z.number().int().min(1).max(10),
    allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).max(250),
    smsTemplate: z
      .string()
      .min(1)
      .max(1000)
      .refine((t) => t.includes('{code}'), 'must contain {code}'),
  })
  .strict();

/** The part of the configuration an admin may change at run time, in the admin panel. */
export const policySchema = policyFields.superRefine(refuseCooldownNotShorterThanLifetime);

export type Policy = z.output<typeof policySchema>;

/**
 * The policy the file configuration implies, before any admin change. Email codes are
 * allowed only when the app has an email provider (`isEmailProviderConfigured`).
 */
export function policyFromConfig(config: TwoFactorConfig, options: { emailProviderConfigured: boolean }): Policy {
  return {
    mode: 'optional',
    requiredRoles: [],
    allowedMethods: options.emailProviderConfigured ? ['sms', 'totp', 'email'] : ['sms', 'totp'],
    codeLength: config.codeLength,
    codeLifetimeSeconds: config.codeLifetimeSeconds,
    maxAttemptsPerChallenge: config.maxAttemptsPerChallenge,
    maxConsecutiveFailures: config.maxConsecutiveFailures,
    lockoutSeconds: config.lockoutSeconds,
    resendCooldownSeconds: config.resendCooldownSeconds,
    maxSendsPerChallenge: config.maxSendsPerChallenge,
    allowedCountries: config.phone.allowedCountries,
    smsTemplate: config.sms.template,
  };
}

/** The file configuration with the admin's policy laid over it. */
export function applyPolicy(config: TwoFactorConfig, policy: Policy): TwoFactorConfig {
  return {
    ...config,
    codeLength: policy.codeLength,
    codeLifetimeSeconds: policy.codeLifetimeSeconds,
    maxAttemptsPerChallenge: policy.maxAttemptsPerChallenge,
    maxConsecutiveFailures: policy.maxConsecutiveFailures,
    lockoutSeconds: policy.lockoutSeconds,
    resendCooldownSeconds: policy.resendCooldownSeconds,
    maxSendsPerChallenge: policy.maxSendsPerChallenge,
    sms: { ...config.sms, template: policy.smsTemplate },
    phone: { ...config.phone, allowedCountries: policy.allowedCountries },
  };
}

/**
 * What a change weakens, by option name: recorded in the audit log (issue: policy changes
 * that relax protection are always logged).
 */
export function relaxations(before: Policy, after: Policy): string[] {
  const relaxed: string[] = [];
  const strength = { off: 0, optional: 1, required: 2 } as const;
  if (strength[after.mode] < strength[before.mode]) relaxed.push('mode');
  if (before.requiredRoles.some((role) => !after.requiredRoles.includes(role))) relaxed.push('requiredRoles');
  if (after.codeLifetimeSeconds > before.codeLifetimeSeconds) relaxed.push('codeLifetimeSeconds');
  if (after.codeLength < before.codeLength) relaxed.push('codeLength');
  if (after.maxAttemptsPerChallenge > before.maxAttemptsPerChallenge) relaxed.push('maxAttemptsPerChallenge');
  if (after.maxConsecutiveFailures > before.maxConsecutiveFailures) relaxed.push('maxConsecutiveFailures');
  if (after.lockoutSeconds < before.lockoutSeconds) relaxed.push('lockoutSeconds');
  if (after.resendCooldownSeconds < before.resendCooldownSeconds) relaxed.push('resendCooldownSeconds');
  if (after.maxSendsPerChallenge > before.maxSendsPerChallenge) relaxed.push('maxSendsPerChallenge');
  const countriesWidened =
    (before.allowedCountries.length > 0 && after.allowedCountries.length === 0) ||
    after.allowedCountries.some(
      (country) => before.allowedCountries.length > 0 && !before.allowedCountries.includes(country),
    );
  if (countriesWidened) relaxed.push('allowedCountries');
  if (after.allowedMethods.some((method) => !before.allowedMethods.includes(method))) relaxed.push('allowedMethods');
  return relaxed;
}
