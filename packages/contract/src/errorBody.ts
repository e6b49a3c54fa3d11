import { z } from 'zod';
import { TWO_FACTOR_ERROR_CODE_LIST } from './errorCodes.js';

/** The stable machine code of a refusal; codes are added, never renamed. */
export const twoFactorErrorCode = z.enum(TWO_FACTOR_ERROR_CODE_LIST);

/**
 * Strapi's error body, as the plugin's refusals carry it: `details.code` plus what that code
 * documents (`attemptsRemaining`, `retryAfterSeconds`, `fields`, `methods`…).
 */
export const errorBody = z
  .object({
    data: z.null(),
    error: z.object({
      status: z.number().int(),
      name: z.string(),
      message: z.string(),
      details: z.looseObject({
        code: twoFactorErrorCode,
        retryAfterSeconds: z.number().int().nonnegative().optional(),
        attemptsRemaining: z.number().int().nonnegative().optional(),
        fields: z.array(z.string()).optional(),
      }),
    }),
  })
  .meta({ description: "Strapi's error body with the plugin's stable `details.code`." });

export type ErrorBody = z.infer<typeof errorBody>;
