import type { z } from 'zod';
import { pluginConfigSchema, type TwoFactorConfig } from './pluginConfigSchema';

export class InvalidPluginConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'InvalidPluginConfigError';
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const option = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = option === '' ? '' : ` in "${option}"`;
    return `unknown option${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'custom') return `option "${option}" ${issue.message}`;
  return `option "${option}": ${issue.message} (got ${describeValue(valueAt(input, issue.path))})`;
}

/**
 * Strapi calls this at start-up with the app's options merged over the defaults; throwing
 * stops Strapi with a message that names each bad option.
 */
export function validatePluginConfig(input: unknown): TwoFactorConfig {
  const result = pluginConfigSchema.safeParse(input);
  if (!result.success)
    throw new InvalidPluginConfigError(result.error.issues.map((issue) => describeIssue(input, issue)));
  return result.data;
}
