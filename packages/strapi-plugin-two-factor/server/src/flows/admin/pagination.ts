import type { Pagination } from '@strapi-two-factor/contract';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

/** `page` (from 1) and `pageSize` (1–100) of a list query string. */
export const paginationQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
};

export type { Pagination };

/** Strapi's own pagination shape (`meta.pagination` of the Content API). */
export function pagination(page: number, pageSize: number, total: number): Pagination {
  return { page, pageSize, pageCount: Math.ceil(total / pageSize), total };
}
