import type { Context } from 'koa';

/** The Bearer token's payload, decoded: the policy has verified it before this runs. */
function accessTokenClaims(ctx: Context): Record<string, unknown> {
  const token = ctx.request.header.authorization?.split(/\s+/)[1] ?? '';
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export default {
  /** `GET /api/example/secure-ping`: what the app sees of a strong, recent sign-in. */
  securePing(ctx: Context): void {
    const { aal, amr } = accessTokenClaims(ctx);
    ctx.body = { ok: true, aal, amr };
  },
};
