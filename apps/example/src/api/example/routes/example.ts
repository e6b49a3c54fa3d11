/**
 * Read as the app's config reads it (`env.bool('TWO_FACTOR_ENABLED', true)`): the plugin can be
 * switched off (the benchmark's plain-Strapi variant), and then its policy does not exist.
 */
const isTwoFactorEnabled = process.env.TWO_FACTOR_ENABLED === undefined || process.env.TWO_FACTOR_ENABLED === 'true';

/**
 * The example's own route behind the plugin's assurance policy: a session signed in with a
 * second factor (AAL2) within the last 15 minutes, or a 403 `STEP_UP_REQUIRED`. Without the
 * plugin there is no assurance to ask for, so no route.
 */
export default {
  routes: isTwoFactorEnabled
    ? [
        {
          method: 'GET',
          path: '/example/secure-ping',
          handler: 'example.securePing',
          config: {
            policies: [{ name: 'plugin::two-factor.assurance', config: { aal: 2, maxAgeSeconds: 900 } }],
          },
        },
      ]
    : [],
};
