import { z } from 'zod';

/** A fresh code from a factor the user holds now: the re-authentication changes need. */
export const reauthenticationBody = z.object({
  method: z.enum(['sms', 'email', 'totp', 'recovery_code']),
  code: z.string().min(4).max(20),
});
