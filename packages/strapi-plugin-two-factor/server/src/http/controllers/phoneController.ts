import type { Core } from '@strapi/strapi';
import { phoneBody, phoneRegisterBody, phoneVerifyBody } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { ANSWER_FLOOR_MILLISECONDS, answerNoSoonerThan } from '../answerNoSoonerThan';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

export function createPhoneController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `POST /api/two-factor/phone/register` */
    async register(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const body = (ctx.request.body ?? {}) as Record<string, unknown>;
        const { username, phone: number, email, password } = parseInput(phoneRegisterBody, body);
        // Users without an email exist only where the app opted in: elsewhere users-permissions'
        // `User.email` stays required, as every client of the app was told (GraphQL `String!`).
        if (email === undefined && !getService(strapi, 'settings').config().phone.signUpWithoutEmail) {
          throw twoFactorError('INVALID_INPUT', { fields: ['email'] });
        }
        // Like users-permissions' register: other fields only when the app allows them.
        const allowed = strapi.config.get<string[]>('plugin::users-permissions.register.allowedFields', []);
        const extraKeys = Object.keys(body).filter((key) => !['username', 'phone', 'email', 'password'].includes(key));
        const refused = extraKeys.filter((key) => !allowed.includes(key));
        if (refused.length > 0) throw twoFactorError('INVALID_INPUT', { fields: refused });
        const extra = Object.fromEntries(extraKeys.map((key) => [key, body[key]]));
        return getService(strapi, 'phoneSignUp').register(
          { username, phone: number, email, password, extra },
          ctx.request.ip,
        );
      });
    },

    /** `POST /api/two-factor/phone/verify` */
    async verify(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => {
        const { phone: number, code } = parseInput(phoneVerifyBody, ctx.request.body);
        return getService(strapi, 'phoneSignUp').verify(ctx, number, code);
      });
    },

    /** `POST /api/two-factor/phone/resend` */
    async resend(ctx: Context): Promise<void> {
      // Known and unknown numbers answer alike, in time too (answerNoSoonerThan.ts).
      await handleRequest(ctx, async () =>
        answerNoSoonerThan(ANSWER_FLOOR_MILLISECONDS, () =>
          getService(strapi, 'phoneSignUp').resend(parseInput(phoneBody, ctx.request.body).phone, ctx.request.ip),
        ),
      );
    },

    /** `POST /api/two-factor/phone/login` */
    async login(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () =>
        answerNoSoonerThan(ANSWER_FLOOR_MILLISECONDS, () =>
          getService(strapi, 'phoneLogin').start(parseInput(phoneBody, ctx.request.body).phone, ctx.request.ip),
        ),
      );
    },
  };
}
