import {
  type ExampleApp,
  type OAuthProvider,
  startExampleApp,
  startOAuthProvider,
} from '@strapi-two-factor/test-utils';
import { cookieHeader } from './users';

/** The example app's development OAuth provider. */
export const PROVIDER = 'devoauth';
/** Where Strapi sends the browser after the connect round trip: the front end's page. */
export const FRONT_END_CALLBACK = `https://front-end.example.test/connect/${PROVIDER}/redirect`;

/** The fake OAuth provider, then the example app signing in through it (`env` on top). */
export async function startAppWithOAuthProvider(
  env: Record<string, string> = {},
): Promise<{ provider: OAuthProvider; app: ExampleApp }> {
  const provider = await startOAuthProvider();
  let app: ExampleApp;
  try {
    app = await startExampleApp({
      env: { ...provider.env(), OAUTH_DEV_PROVIDER_CALLBACK: FRONT_END_CALLBACK, ...env },
    });
  } catch (error) {
    await provider.close();
    throw error;
  }
  // PORT=0: Strapi worked out its URL before it knew its port. Say where it listens, as a
  // deployment's `url` would: the redirect_uri it sends the provider is built from it (docs/notes.md).
  app.strapi.config.set('server.url', app.url);
  app.strapi.config.set('server.absoluteUrl', app.url);
  return { provider, app };
}

/** A browser's cookie store for one origin: later `Set-Cookie` headers replace earlier ones. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(setCookies: string[]): void {
    for (const pair of cookieHeader(setCookies).split('; ')) {
      const equals = pair.indexOf('=');
      if (equals > 0) this.#cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
