import { randomBytes } from 'node:crypto';

export interface NewUser {
  username: string;
  email: string;
  password: string;
}

/** A user nobody else in the run has. */
export function newUser(prefix = 'user'): NewUser {
  const suffix = randomBytes(4).toString('hex');
  return {
    username: `${prefix}_${suffix}`,
    email: `${prefix}.${suffix}@example.test`,
    password: `Pw-${randomBytes(9).toString('base64url')}`,
  };
}

/** `name=value` pairs of the given `Set-Cookie` headers, ready for a `Cookie` header. */
export function cookieHeader(setCookies: string[]): string {
  return setCookies.map((cookie) => cookie.split(';')[0]).join('; ');
}
