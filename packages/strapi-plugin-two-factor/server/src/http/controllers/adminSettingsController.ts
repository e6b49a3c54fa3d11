import type { Core } from '@strapi/strapi';
import type { AdminSettingsUpdateAnswer, SmsPreviewAnswer } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import { policySchema } from '../../core/settings/policy';
import { isEmailProviderConfigured } from '../../platform/email/isEmailProviderConfigured';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { renderSmsTemplate } from '../../platform/sms/renderSmsTemplate';
import { adminActor } from '../admin/adminActor';
import { policyBounds } from '../admin/policyBounds';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

const ROLE_UID = 'plugin::users-permissions.role';
const PUBLIC_ROLE_TYPE = 'public';
/** What the preview puts in place of a real code: never a live one. */
const SAMPLE_CODE_DIGITS = '12345678';

const previewBody = z
  .object({
    template: z.string().max(1000),
    codeLength: z.number().int().min(6).max(8).optional(),
    codeLifetimeSeconds: z.number().int().min(60).max(600).optional(),
  })
  .strict();

interface RoleRow {
  type: string;
  name: string;
}

export function createAdminSettingsController({ strapi }: { strapi: Core.Strapi }) {
  // The Public role stands for requests without a user: nobody signs in with it, so it can
  // neither be offered nor stored as a role that requires a second step.
  const roles = async (): Promise<RoleRow[]> =>
    (await strapi.db.query(ROLE_UID).findMany({
      select: ['type', 'name'],
      where: { type: { $ne: PUBLIC_ROLE_TYPE } },
      orderBy: { id: 'asc' },
    })) as RoleRow[];

  return {
    /** `GET /two-factor/settings` → `{ policy, roles, bounds, emailProviderConfigured }` */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async () => ({
        policy: getService(strapi, 'settings').policy(),
        roles: await roles(),
        bounds: policyBounds(),
        // Lets the panel say why email codes are off by default, and warn before allowing them.
        emailProviderConfigured: isEmailProviderConfigured(strapi),
      }));
    },

    /** `PUT /two-factor/settings` with the whole policy → `{ policy, relaxed }` */
    async update(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<AdminSettingsUpdateAnswer> => {
        const policy = parseInput(policySchema, ctx.request.body);
        const known = new Set((await roles()).map((role) => role.type));
        if (policy.requiredRoles.some((role) => !known.has(role))) {
          throw twoFactorError('INVALID_INPUT', { fields: ['requiredRoles'] });
        }
        return getService(strapi, 'settings').updatePolicy(policy, adminActor(ctx));
      });
    },

    /** `POST /two-factor/settings/preview-sms` with `{ template, codeLength?, codeLifetimeSeconds? }` → `{ text }` */
    async previewSms(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<SmsPreviewAnswer> => {
        const input = parseInput(previewBody, ctx.request.body);
        const config = getService(strapi, 'settings').config();
        const codeLength = input.codeLength ?? config.codeLength;
        const text = renderSmsTemplate(input.template, {
          code: SAMPLE_CODE_DIGITS.slice(0, codeLength),
          appName: config.appName,
          codeLifetimeSeconds: input.codeLifetimeSeconds ?? config.codeLifetimeSeconds,
        });
        return { text };
      });
    },
  };
}
