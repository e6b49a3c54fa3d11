import { createHash, randomBytes } from 'node:crypto';

/**
 * A bearer secret for challenges and trusted devices: 32 random bytes, base64url. Never a
 * JWT signed with Strapi's `jwtSecret`, which legacy mode would accept as a session.
 */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token: its SHA-256, hex (a lookup key, so no salt). */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
