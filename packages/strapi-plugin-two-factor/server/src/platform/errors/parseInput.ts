import type { z } from 'zod';
import { twoFactorError } from './twoFactorError';

/** Validates a request body; anything wrong is a 400 `INVALID_INPUT` naming the fields, never a 500. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.') || '(body)'))];
  throw twoFactorError('INVALID_INPUT', { fields });
}
