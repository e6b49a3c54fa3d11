import type { StrapiUser } from '@strapi-two-factor/client';

/**
 * The two users-permissions routes the demo needs that are Strapi's own, not the plugin's,
 * so the two-factor client has no method for them.
 */

/**
 * `POST /api/auth/logout` (refresh mode): ends the session on the server and clears the
 * http-only refresh cookie. A failure is not the person's problem: the page forgets the jwt anyway.
 */
export async function signOutOfStrapi(jwt: string | null): Promise<void> {
  if (jwt === null) return;
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
  } catch {
    // Offline: the cookie expires on its own.
  }
}

/** `GET /api/users/me`: who the jwt belongs to (after a session was restored from the cookie). */
export async function fetchCurrentUser(jwt: string): Promise<StrapiUser> {
  const response = await fetch('/api/users/me', { headers: { Authorization: `Bearer ${jwt}` } });
  if (!response.ok) throw new Error(`GET /api/users/me answered ${response.status}`);
  return (await response.json()) as StrapiUser;
}
