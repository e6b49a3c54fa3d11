import type { FactorMethod, NumericPolicyField, Policy, PolicyMode, SettingsResponse } from '../api/types';

/**
 * The contract's lists, in the order the form shows them. The admin bundle takes no runtime
 * code from the contract (zod would come along), so they are written here; `EveryOf` makes a
 * value the contract adds and this list lacks a compile error.
 */
type EveryOf<Value, List extends readonly Value[]> = Exclude<Value, List[number]> extends never ? List : never;

const numericFields = [
  'codeLength',
  'codeLifetimeSeconds',
  'maxAttemptsPerChallenge',
  'maxConsecutiveFailures',
  'lockoutSeconds',
  'resendCooldownSeconds',
  'maxSendsPerChallenge',
] as const satisfies readonly NumericPolicyField[];
export const NUMERIC_FIELDS: EveryOf<NumericPolicyField, typeof numericFields> = numericFields;

const methods = ['sms', 'totp', 'email'] as const satisfies readonly FactorMethod[];
export const METHODS: EveryOf<FactorMethod, typeof methods> = methods;

const modes = ['off', 'optional', 'required'] as const satisfies readonly PolicyMode[];
export const MODES: EveryOf<PolicyMode, typeof modes> = modes;

/** The policy as the form holds it: numbers may be blank while typed, countries are one text. */
export type PolicyForm = Omit<Policy, NumericPolicyField | 'allowedCountries'> &
  Record<NumericPolicyField, number | undefined> & { allowedCountries: string };

export type PolicyField = keyof Policy;

/** A validation problem: a translation key and its values. */
export interface FieldProblem {
  id: string;
  defaultMessage: string;
  values?: Record<string, string | number>;
}

export function toForm(policy: Policy): PolicyForm {
  return { ...policy, allowedCountries: policy.allowedCountries.join(', ') };
}

function countries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
}

/**
 * The same rules as the server's `policySchema` (bounds come from the server), so most
 * mistakes are shown before Save; the server still has the last word.
 */
export function validateForm(
  form: PolicyForm,
  bounds: SettingsResponse['bounds'],
): { policy?: Policy; problems: Partial<Record<PolicyField, FieldProblem>> } {
  const problems: Partial<Record<PolicyField, FieldProblem>> = {};
  const numbers = {} as Record<NumericPolicyField, number>;
  for (const field of NUMERIC_FIELDS) {
    const value = form[field];
    const range = bounds[field];
    if (value === undefined || !Number.isInteger(value)) {
      problems[field] = { id: 'settings.error.integer', defaultMessage: 'Enter a whole number.' };
    } else if (range !== undefined && (value < range.min || value > range.max)) {
      problems[field] = {
        id: 'settings.error.range',
        defaultMessage: 'Between {min} and {max}.',
        values: { min: range.min, max: range.max },
      };
    } else {
      numbers[field] = value;
    }
  }
  if (
    problems.resendCooldownSeconds === undefined &&
    problems.codeLifetimeSeconds === undefined &&
    numbers.resendCooldownSeconds >= numbers.codeLifetimeSeconds
  ) {
    problems.resendCooldownSeconds = {
      id: 'settings.error.cooldown',
      defaultMessage: 'Must be shorter than the code lifetime.',
    };
  }
  if (form.allowedMethods.length === 0) {
    problems.allowedMethods = { id: 'settings.error.methods', defaultMessage: 'Allow at least one method.' };
  }
  const allowedCountries = countries(form.allowedCountries);
  const wrong = allowedCountries.filter((code) => !/^[A-Z]{2}$/.test(code));
  if (wrong.length > 0) {
    problems.allowedCountries = {
      id: 'settings.error.countries',
      defaultMessage: 'Not a two-letter country code: {codes}',
      values: { codes: wrong.join(', ') },
    };
  }
  if (!form.smsTemplate.includes('{code}')) {
    problems.smsTemplate = { id: 'settings.error.template', defaultMessage: "The template must contain '{code}'." };
  } else if (form.smsTemplate.length > 1000) {
    problems.smsTemplate = { id: 'settings.error.templateLength', defaultMessage: 'At most 1000 characters.' };
  }
  if (Object.keys(problems).length > 0) return { problems };
  return {
    problems,
    policy: {
      mode: form.mode,
      requiredRoles: form.requiredRoles,
      allowedMethods: form.allowedMethods,
      ...numbers,
      allowedCountries: [...new Set(allowedCountries)],
      smsTemplate: form.smsTemplate,
    },
  };
}
