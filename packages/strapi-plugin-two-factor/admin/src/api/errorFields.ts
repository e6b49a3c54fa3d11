import { isFetchError } from '@strapi/strapi/admin';

/** The fields a 400 `INVALID_INPUT` from the plugin names (`details.fields`), else none. */
export function errorFields(error: unknown): string[] {
  if (!isFetchError(error)) return [];
  const details = (error.response?.data.error as { details?: { fields?: unknown } } | undefined)?.details;
  return Array.isArray(details?.fields)
    ? details.fields.filter((field): field is string => typeof field === 'string')
    : [];
}

/** The server's message for a failed request, else the generic one given. */
export function errorMessage(error: unknown, fallback: string): string {
  if (isFetchError(error)) return error.response?.data.error.message ?? error.message ?? fallback;
  return fallback;
}
