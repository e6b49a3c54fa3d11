/**
 * The example's own route behind the plugin's assurance policy: a session signed in with a
 * second factor (AAL2) within the last 15 minutes, or a 403 `STEP_UP_REQUIRED`.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/example/secure-ping',
      handler: 'example.securePing',
      config: {
        policies: [{ name: 'plugin::two-factor.assurance', config: { aal: 2, maxAgeSeconds: 900 } }],
      },
    },
  ],
};
