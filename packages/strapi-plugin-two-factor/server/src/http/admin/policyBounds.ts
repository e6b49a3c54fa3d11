import { z } from 'zod';
import { policyFields } from '../../core/settings/policy';

export type PolicyBounds = Record<string, { min: number; max: number }>;

/**
 * The bounds of every numeric policy option, read from `policyFields` itself so the admin
 * panel's form can never drift from what the server accepts.
 */
export function policyBounds(): PolicyBounds {
  const bounds: PolicyBounds = {};
  for (const [name, field] of Object.entries(policyFields.shape)) {
    if (field instanceof z.ZodNumber && field.minValue !== null && field.maxValue !== null) {
      bounds[name] = { min: field.minValue, max: field.maxValue };
    }
  }
  return bounds;
}
