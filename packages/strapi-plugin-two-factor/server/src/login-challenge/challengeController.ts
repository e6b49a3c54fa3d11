import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { handleRequest } from '../http/handleRequest';
import { parseInput } from '../http/parseInput';
import { getService } from '../utils/getService';

const verifyBody = z.object({
  token: z.string().min(1).max(200),
  method: z.string().min(1).max(40),
  code: z.string().min(1).max(40),
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
      await handleRequest(ctx, async () =>
        getService(strapi, 'loginFlow').verify(ctx, parseInput(verifyBody, ctx.request.body)),
      );
    },

    /** `POST /api/two-factor/challenge/send` */
    async send(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () =>
        getService(strapi, 'loginFlow').send(parseInput(sendBody, ctx.request.body)),
      );
    },
  };
}
