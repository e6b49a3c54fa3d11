import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { twoFactorError } from '../errors/twoFactorError';
import { handleRequest } from '../http/handleRequest';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

const verifyBody = z.object({
  token: z.string().min(1).max(200),
  method: z.string().min(1).max(40),
  code: z.string().min(1).max(40).optional(),
  // A passkey assertion (`PublicKeyCredential` JSON) when `method` is `passkey`.
  response: z.unknown().optional(),
  trustDevice: z.boolean().optional(),
  deviceId: z.string().min(1).max(200).optional(),
});

const sendBody = z.object({
  token: z.string().min(1).max(200),
  method: z.string().min(1).max(40),
});

export function createChallengeController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/challenge/verify` */
    async verify(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const input = parseInput(verifyBody, ctx.request.body);
        // A code for every method but `passkey`, which answers with an assertion instead.
        const proofField = input.method === 'passkey' ? 'response' : 'code';
        const proof = input.method === 'passkey' ? input.response : input.code;
        if (proof === undefined || proof === null) throw twoFactorError('INVALID_INPUT', { fields: [proofField] });
        return getService(strapi, 'loginFlow').verify(ctx, input);
      });
    },

    /** `POST /api/two-factor/challenge/send` */
    async send(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () =>
        getService(strapi, 'loginFlow').send(parseInput(sendBody, ctx.request.body)),
      );
    },
  };
}
