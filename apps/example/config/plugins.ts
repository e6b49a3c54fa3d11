import type { Core } from '@strapi/strapi';
import { refuseUnservableOperations } from '../src/graphql/refuseUnservableOperations';
import { requiredEnv } from '../src/utils/requiredEnv';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => {
  /** An unset or empty variable is "not configured", never the empty string. */
  const optional = (name: string): string | undefined => env(name) || undefined;

  const plugins: Core.Config.Plugin = {
    'users-permissions': {
      config: {
        // Like a new Strapi app; UP_JWT_MANAGEMENT=legacy-support switches to the old mode.
        jwtManagement: env('UP_JWT_MANAGEMENT', 'refresh'),
        sessions: {
          httpOnly: env.bool('UP_SESSIONS_HTTP_ONLY', true),
        },
        jwtSecret: requiredEnv(env, 'JWT_SECRET'),
        ratelimit: {
          interval: 60_000,
          max: env.int('UP_RATELIMIT_MAX', 10),
        },
      },
    },
    graphql: {
      enabled: true,
      config: {
        landingPage: false,
        // Bounded operations: Strapi warns at start-up without them.
        depthLimit: 10,
        defaultLimit: 25,
        // Strapi 5's name for the largest page a query may ask for (Strapi 4's `amountLimit`).
        maxLimit: 100,
        apolloServer: {
          // A subscription would otherwise be a 500 (see the plugin's comment).
          plugins: [refuseUnservableOperations],
          // Apollo's own cycle-safe bound on the selections a document asks for, through its
          // fragments. With it set, Apollo runs the validation rules passed to it (Strapi's
          // \`depthLimit\` rule, graphql-depth-limit) only after GraphQL's own rules pass, so a
          // fragment that spreads itself is refused by NoFragmentCyclesRule (400) before the
          // depth rule could follow the cycle until the stack overflows (500).
          maxRecursiveSelections: 5000,
        },
      },
    },
    // Strapi's Swagger UI at /documentation: the plugin registers its routes there as the
    // contract describes them. Off unless asked (it writes its document under
    // src/extensions/documentation on every start).
    documentation: {
      enabled: env.bool('DOCUMENTATION_ENABLED', false),
      config: {
        // The documentation plugin applies a plugin's override only for the plugins listed
        // here (its default is upload and users-permissions).
        'x-strapi-config': { plugins: ['upload', 'users-permissions', 'two-factor'] },
      },
    },
    'two-factor': {
      // TWO_FACTOR_ENABLED=false runs the same app as plain Strapi (the benchmark's baseline).
      enabled: env.bool('TWO_FACTOR_ENABLED', true),
      config: {
        appName: env('TWO_FACTOR_APP_NAME', 'Example'),
        encryptionKey: optional('TWO_FACTOR_ENCRYPTION_KEY'),
        codeLifetimeSeconds: env.int('TWO_FACTOR_CODE_LIFETIME_SECONDS', 300),
        maxSmsPerHour: env.int('TWO_FACTOR_MAX_SMS_PER_HOUR', 1000),
        maxSmsPerIpPerHour: env.int('TWO_FACTOR_MAX_SMS_PER_IP_PER_HOUR', 30),
        maxRequestsPerIpPerMinute: env.int('TWO_FACTOR_MAX_REQUESTS_PER_IP_PER_MINUTE', 120),
        maxSignInsPerAccountPerMinute: env.int('TWO_FACTOR_MAX_SIGN_INS_PER_ACCOUNT_PER_MINUTE', 20),
        maxWrongPasswordsPerAccount: env.int('TWO_FACTOR_MAX_WRONG_PASSWORDS_PER_ACCOUNT', 100),
        endOtherSessionsOnFactorChange: env.bool('TWO_FACTOR_END_OTHER_SESSIONS_ON_FACTOR_CHANGE', true),
        redisUrl: optional('TWO_FACTOR_REDIS_URL'),
        redisKeyPrefix: env('TWO_FACTOR_REDIS_KEY_PREFIX', 'two-factor'),
        sms: {
          provider: env('TWO_FACTOR_SMS_PROVIDER', 'console'),
          twilio: {
            accountSid: optional('TWILIO_ACCOUNT_SID'),
            authToken: optional('TWILIO_AUTH_TOKEN'),
            from: optional('TWILIO_FROM'),
            messagingServiceSid: optional('TWILIO_MESSAGING_SERVICE_SID'),
            verifyServiceSid: optional('TWILIO_VERIFY_SERVICE_SID'),
            apiBaseUrl: env('TWILIO_API_BASE_URL', 'https://api.twilio.com'),
            verifyBaseUrl: env('TWILIO_VERIFY_BASE_URL', 'https://verify.twilio.com'),
          },
        },
        phone: {
          signInEnabled: env.bool('TWO_FACTOR_PHONE_SIGN_IN', true),
          allowedCountries: env.array('TWO_FACTOR_ALLOWED_COUNTRIES', []).filter((code) => code !== ''),
          defaultRegion: optional('TWO_FACTOR_DEFAULT_REGION'),
          // This app signs users up with a phone alone, so its `User.email` is optional (the
          // plugin's default keeps Strapi's required email and GraphQL's `String!`).
          signUpWithoutEmail: env.bool('TWO_FACTOR_PHONE_SIGN_UP_WITHOUT_EMAIL', true),
        },
        passkey: {
          rpId: env('TWO_FACTOR_PASSKEY_RP_ID', 'localhost'),
          // Unset in development: the plugin accepts the app's own http://localhost:PORT and
          // http://127.0.0.1:PORT, with the port it actually listens on (tests use PORT=0).
          // Production must list its public origins, or the plugin refuses to start.
          origins: env
            .array('TWO_FACTOR_PASSKEY_ORIGINS', [])
            .map((origin) => origin.trim())
            .filter((origin) => origin !== ''),
          userVerification: env('TWO_FACTOR_PASSKEY_USER_VERIFICATION', 'required') as 'required' | 'preferred',
        },
      },
    },
  };

  // Email codes go through Strapi's email plugin with nodemailer to the SMTP server at
  // SMTP_HOST: `npm run develop` points it at its own mail catcher (scripts/mailCatcher.mjs),
  // tests at an SMTP server on loopback. Without SMTP_HOST the app has no email provider
  // (Strapi's sendmail fallback, which would mail the internet): the plugin then leaves email
  // codes out of the default methods.
  const smtpHost = optional('SMTP_HOST');
  if (smtpHost === undefined) return plugins;
  plugins.email = {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: smtpHost,
        port: env.int('SMTP_PORT', 587),
        secure: env.bool('SMTP_SECURE', false),
        ignoreTLS: env.bool('SMTP_IGNORE_TLS', false),
        ...(optional('SMTP_USERNAME') === undefined
          ? {}
          : { auth: { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } }),
      },
      settings: {
        defaultFrom: env('EMAIL_FROM', 'no-reply@example.test'),
        defaultReplyTo: env('EMAIL_FROM', 'no-reply@example.test'),
      },
    },
  };
  return plugins;
};

export default config;
