import type { TwoFactorErrorCode } from './contract';

export interface TwoFactorApiErrorInit {
  status: number;
  message: string;
  code?: string;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

/**
 * A non-2xx answer of the server. `code` is the plugin's stable `details.code`
 * (`INVALID_CODE`, `RESEND_TOO_SOON`, `ACCOUNT_LOCKED`…); it is `undefined` for errors of
 * Strapi itself, such as a wrong password (400) or `refresh` in legacy mode (404).
 */
export class TwoFactorApiError extends Error {
  override readonly name = 'TwoFactorApiError';
  readonly status: number;
  readonly code: TwoFactorErrorCode | (string & {}) | undefined;
  /** How long to wait before trying again, on 429 answers (`Retry-After`). */
  readonly retryAfterSeconds: number | undefined;
  /** The error body's `details`, as the server sent them. */
  readonly details: Record<string, unknown>;

  constructor(init: TwoFactorApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = init.details ?? {};
  }
}
