import type { Core } from '@strapi/strapi';
import { challengeSendBody, challengeVerifyBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createChallengeController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/challenge/verify` */
    async verify(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const input = parseInput(challengeVerifyBody, ctx.request.body);
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
        getService(strapi, 'loginFlow').send(parseInput(challengeSendBody, ctx.request.body)),
      );
    },
  };
}
