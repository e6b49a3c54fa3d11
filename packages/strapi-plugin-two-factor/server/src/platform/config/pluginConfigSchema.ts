import { z } from 'zod';
import type { SmsSenderFunction } from './pluginOptions';

const DAY_SECONDS = 24 * 60 * 60;

const integer = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

const httpUrl = z.url({ protocol: /^https?$/ });

const twilioSchema = z
  .object({
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID (AC followed by 32 hex digits)')
      .optional(),
    authToken: z.string().min(1).optional(),
    from: z.string().min(1).optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service SID (MG…)')
      .optional(),
    verifyServiceSid: z
      .string()
      .regex(/^VA[0-9a-fA-F]{32}$/, 'must be a Verify Service SID (VA…)')
      .optional(),
    apiBaseUrl: httpUrl.default('https://api.twilio.com'),
    verifyBaseUrl: httpUrl.default('https://verify.twilio.com'),
    requestTimeoutMilliseconds: integer(1_000, 30_000, 10_000),
  })
  .strict();

const smsSchema = z
  .object({
    provider: z
      .union([
        z.enum(['twilio', 'twilio-verify', 'console']),
        z.custom<SmsSenderFunction>((v) => typeof v === 'function'),
      ])
      .default('console'),
    template: z
      .string()
      .max(1000)
      .refine((t) => t.includes('{code}'), 'must contain {code}')
      .default('{code} is your {appName} verification code. It expires in {minutes} minutes.'),
    twilio: twilioSchema.default(twilioSchema.parse({})),
  })
  .strict();

const phoneSchema = z
  .object({
    signInEnabled: z.boolean().default(false),
    allowedCountries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes like "US"')).default([]),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "US"')
      .optional(),
    signUpWithoutEmail: z.boolean().default(false),
  })
  .strict();

/**
 * WebAuthn relying party. `rpId` is the domain passkeys are bound to (the site's registrable
 * domain or a parent of it); `origins` are the exact origins (scheme, host, port) pages that
 * call WebAuthn are served from. Empty `origins` means "the app's own address" and is refused
 * in production, where the app cannot know the public origin behind a proxy.
 */
const passkeySchema = z
  .object({
    rpId: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name such as "example.com" (no scheme, port or path)')
      .default('localhost'),
    rpName: z.string().min(1).max(100).optional(),
    origins: z
      .array(
        z
          .string()
          .regex(
            /^(https?:\/\/[A-Za-z0-9.[\]:-]+|android:apk-key-hash:[A-Za-z0-9_-]+)$/,
            'must be origins such as "https://app.example.com" (no path, no trailing slash)',
          ),
      )
      .max(50)
      .default([]),
    userVerification: z.enum(['required', 'preferred']).default('required'),
  })
  .strict();

/** Bounds follow DESIGN.md's security defaults table; nothing may be set weaker than them. */
export const pluginConfigSchema = z
  .object({
    // The TOTP issuer: the Key URI format separates issuer and account with a colon, and
    // neither may contain one (authenticator apps would show a wrong issuer).
    appName: z
      .string()
      .min(1)
      .max(60)
      .refine((name) => !name.includes(':'), 'must not contain ":" (it is the TOTP issuer in otpauth URIs)')
      .default('Strapi'),
    encryptionKey: z.string().min(16, 'must be at least 16 characters').optional(),
    codeLength: integer(6, 8, 6),
    codeLifetimeSeconds: integer(60, 600, 300),
    challengeLifetimeSeconds: integer(120, 1800, 600),
    maxAttemptsPerChallenge: integer(1, 10, 5),
    maxConsecutiveFailures: integer(3, 100, 10),
    lockoutSeconds: integer(60, DAY_SECONDS, 900),
    resendCooldownSeconds: integer(30, 600, 30),
    maxSendsPerChallenge: integer(1, 10, 5),
    maxSmsPerNumberPerHour: integer(1, 50, 10),
    maxSmsPerHour: integer(1, 1_000_000, 1000),
    maxSmsPerIpPerHour: integer(1, 10_000, 30),
    maxRequestsPerIpPerMinute: integer(10, 100_000, 120),
    maxSignInsPerAccountPerMinute: integer(3, 1000, 20),
    // NIST 800-63B §5.2.2: at most 100 consecutive failed attempts on one account.
    maxWrongPasswordsPerAccount: integer(3, 100, 100),
    wrongPasswordWindowSeconds: integer(300, DAY_SECONDS, 3600),
    trustedDeviceLifetimeSeconds: integer(3600, 90 * DAY_SECONDS, 30 * DAY_SECONDS),
    maxTrustedDevicesPerUser: integer(1, 50, 10),
    eventRetentionDays: integer(1, 3650, 90),
    endOtherSessionsOnFactorChange: z.boolean().default(true),
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    redisKeyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/)
      .default('two-factor'),
    sms: smsSchema.default(smsSchema.parse({})),
    phone: phoneSchema.default(phoneSchema.parse({})),
    passkey: passkeySchema.default(passkeySchema.parse({})),
  })
  .strict()
  .superRefine((config, context) => {
    const { provider, twilio } = config.sms;
    const need = (option: keyof typeof twilio, why: string): void => {
      if (twilio[option] === undefined) {
        context.addIssue({ code: 'custom', path: ['sms', 'twilio', option], message: `is required ${why}` });
      }
    };
    if (provider === 'twilio' || provider === 'twilio-verify') {
      need('accountSid', `when sms.provider is "${provider}"`);
      need('authToken', `when sms.provider is "${provider}"`);
    }
    if (provider === 'twilio' && twilio.from === undefined && twilio.messagingServiceSid === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['sms', 'twilio', 'from'],
        message: 'or sms.twilio.messagingServiceSid is required when sms.provider is "twilio"',
      });
    }
    if (provider === 'twilio-verify') need('verifyServiceSid', 'when sms.provider is "twilio-verify"');
    if (provider === 'console' && process.env.NODE_ENV === 'production') {
      context.addIssue({
        code: 'custom',
        path: ['sms', 'provider'],
        message:
          '"console" prints codes to the log and is refused when NODE_ENV=production; use "twilio" or "twilio-verify"',
      });
    }
    if (config.passkey.origins.length === 0 && process.env.NODE_ENV === 'production') {
      context.addIssue({
        code: 'custom',
        path: ['passkey', 'origins'],
        message:
          'is required when NODE_ENV=production: list the origins your pages are served from, e.g. ["https://app.example.com"]',
      });
    }
    refuseCooldownNotShorterThanLifetime(config, context);
  });

/**
 * A resend cooldown as long as the code's life would leave nothing to resend to: refused in
 * the file configuration and in the admin's policy alike.
 */
export function refuseCooldownNotShorterThanLifetime(
  options: { resendCooldownSeconds: number; codeLifetimeSeconds: number },
  context: z.RefinementCtx,
): void {
  if (options.resendCooldownSeconds >= options.codeLifetimeSeconds) {
    context.addIssue({
      code: 'custom',
      path: ['resendCooldownSeconds'],
      message: `must be shorter than codeLifetimeSeconds (${options.codeLifetimeSeconds})`,
    });
  }
}

export type TwoFactorConfig = z.output<typeof pluginConfigSchema>;
