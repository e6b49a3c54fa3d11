import type { Context } from 'koa';

const challengeCapable = new WeakSet<Context>();

/**
 * Marks a request whose caller can carry a challenge (the GraphQL `twoFactorLogin` mutation):
 * the gated login answers it with a challenge or an enrolment, as it answers REST. Strapi's
 * own GraphQL `login` is never marked, so it keeps failing closed.
 */
export function markChallengeCapable(ctx: Context): void {
  challengeCapable.add(ctx);
}

export function unmarkChallengeCapable(ctx: Context): void {
  challengeCapable.delete(ctx);
}

export function isChallengeCapable(ctx: Context): boolean {
  return challengeCapable.has(ctx);
}
