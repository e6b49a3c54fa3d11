import { errors } from '@strapi/utils';
import { TWO_FACTOR_ERROR_CODES, type TwoFactorErrorCode } from './twoFactorErrorCodes';

export interface TwoFactorErrorDetails {
  code: TwoFactorErrorCode;
  /** Sent as the `Retry-After` header on 429 answers. */
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

type TwoFactorApplicationError = errors.ApplicationError<string, string, TwoFactorErrorDetails>;

/** Strapi's error middleware picks the HTTP status from the class (400 for any other). */
const ERROR_BY_STATUS: Record<number, (message: string, details: TwoFactorErrorDetails) => TwoFactorApplicationError> =
  {
    400: (message, details) => new errors.ValidationError(message, details),
    403: (message, details) => new errors.ForbiddenError(message, details),
    404: (message, details) => new errors.NotFoundError(message, details),
    429: (message, details) => new errors.RateLimitError(message, details),
  };

/**
 * Builds the Strapi error for a user-facing failure, so the body is Strapi's usual
 * `{ data: null, error: { status, name, message, details: { code } } }`.
 */
export function twoFactorError(
  code: TwoFactorErrorCode,
  extra: Omit<TwoFactorErrorDetails, 'code'> = {},
): TwoFactorApplicationError {
  const { status, message } = TWO_FACTOR_ERROR_CODES[code];
  const details: TwoFactorErrorDetails = { code, ...extra };
  const build = ERROR_BY_STATUS[status];
  if (build === undefined) throw new Error(`No Strapi error class for status ${status} of ${code}`);
  return build(message, details);
}
