import type { Core } from '@strapi/strapi';

/** The users-permissions provider name: `/api/connect/devoauth`, `/api/auth/devoauth/callback`. */
export const DEV_OAUTH_PROVIDER = 'devoauth';

interface ProviderProfile {
  username: string;
  email: string;
}

/** An entry of users-permissions' `providers-registry` service (`services/providers-registry.js`). */
interface AuthProvider {
  icon: string;
  enabled: boolean;
  grantConfig: Record<string, unknown>;
  authCallback(args: { accessToken: string }): Promise<ProviderProfile>;
}

interface ProvidersRegistry {
  add(name: string, provider: AuthProvider): void;
}

/** users-permissions' `bearerGet`, without its package's internals: the provider's `/userinfo`. */
async function fetchProfile(userinfoUrl: string, accessToken: string): Promise<ProviderProfile> {
  const response = await fetch(userinfoUrl, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  const body = (await response.json().catch(() => ({}))) as { username?: unknown; email?: unknown; error?: unknown };
  if (!response.ok) throw new Error(typeof body.error === 'string' ? body.error : `HTTP ${response.status}`);
  if (typeof body.username !== 'string' || typeof body.email !== 'string') {
    throw new Error('The provider did not return a username and an email');
  }
  return { username: body.username, email: body.email };
}

/**
 * Registers a generic OAuth 2.0 provider, `devoauth`, when OAUTH_DEV_PROVIDER_URL is set:
 * `<url>/authorize`, `<url>/token` and `<url>/userinfo` (answering `{ username, email }`),
 * as the test harness's `OAuthProvider` serves them. For tests and local development only:
 * unset (the default), the app has no such provider.
 */
export function registerDevOAuthProvider(strapi: Core.Strapi, env: NodeJS.ProcessEnv = process.env): void {
  const url = env.OAUTH_DEV_PROVIDER_URL;
  if (url === undefined || url === '') return;
  const base = url.replace(/\/+$/, '');
  const registry = strapi.plugin('users-permissions').service('providers-registry') as ProvidersRegistry;
  registry.add(DEV_OAUTH_PROVIDER, {
    icon: 'key',
    // users-permissions copies this into its `grant` store at bootstrap; a value already
    // stored there (an administrator's choice) wins.
    enabled: true,
    grantConfig: {
      oauth: 2,
      key: env.OAUTH_DEV_PROVIDER_CLIENT_ID || 'example-app',
      secret: env.OAUTH_DEV_PROVIDER_CLIENT_SECRET || 'example-app-secret',
      authorize_url: `${base}/authorize`,
      access_url: `${base}/token`,
      scope: ['email'],
      // Where Strapi sends the browser once it holds the provider's token: the front end,
      // which then calls GET /api/auth/devoauth/callback with the same session cookie.
      callback: env.OAUTH_DEV_PROVIDER_CALLBACK || `http://localhost:3000/connect/${DEV_OAUTH_PROVIDER}/redirect`,
    },
    authCallback: ({ accessToken }) => fetchProfile(`${base}/userinfo`, accessToken),
  });
}
