import { z } from 'zod';

/**
 * A fresh proof from a factor the user holds now, as the re-authentication changes need:
 * a code (`{ method, code }`) or a passkey assertion (`{ method: "passkey", response }`).
 */
export const reauthenticationBody = z.discriminatedUnion('method', [
  z.object({
    method: z.enum(['sms', 'email', 'totp', 'recovery_code']),
    code: z.string().min(4).max(20),
  }),
  z.object({
    method: z.literal('passkey'),
    response: z.unknown().refine((value) => typeof value === 'object' && value !== null, 'is required'),
  }),
]);

export type Reauthentication = z.output<typeof reauthenticationBody>;
