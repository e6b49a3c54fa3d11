import type { Core } from '@strapi/strapi';
import type { AdminEventsPage } from '@strapi-two-factor/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import { paginationQuery } from '../../flows/admin/pagination';
import { parseInput } from '../../platform/errors/parseInput';
import { twoFactorError } from '../../platform/errors/twoFactorError';
import { optionalQueryValue } from '../admin/optionalQueryValue';
import { getService } from '../getService';
import { handleRequest } from '../handleRequest';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MILLISECONDS = 24 * 60 * 60 * 1000;

/** An ISO 8601 date (`2025-01-31`, a whole UTC day) or date-time with its offset. */
const isoDate = z
  .union([z.string().regex(DATE_ONLY), z.iso.datetime({ offset: true })])
  .refine((value) => !Number.isNaN(new Date(value).getTime()), 'not a date');

const listQuery = z.object({
  ...paginationQuery,
  userId: optionalQueryValue(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
  type: optionalQueryValue(z.string().regex(/^[a-z0-9.-]{1,60}$/)),
  from: optionalQueryValue(isoDate),
  to: optionalQueryValue(isoDate),
});

export function createAdminEventsController({ strapi }: { strapi: Core.Strapi }) {
  return {
    /** `GET /two-factor/events?userId=&type=&from=&to=&page=&pageSize=` → `{ results, pagination }`, newest first */
    async find(ctx: Context): Promise<void> {
      await handleRequest(ctx, async (): Promise<AdminEventsPage> => {
        const query = parseInput(listQuery, ctx.query);
        const from = query.from === undefined ? undefined : new Date(query.from);
        // `to` is inclusive: a bare date covers that whole day.
        const to =
          query.to === undefined
            ? undefined
            : DATE_ONLY.test(query.to)
              ? new Date(new Date(query.to).getTime() + DAY_MILLISECONDS)
              : new Date(query.to);
        if (from !== undefined && to !== undefined && from > to) {
          throw twoFactorError('INVALID_INPUT', { fields: ['from', 'to'] });
        }
        return getService(strapi, 'adminEvents').list({ ...query, from, to });
      });
    },
  };
}
