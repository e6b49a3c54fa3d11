/** A successful answer whose body is not what the REST contract promises (a proxy's page, another server). */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  readonly body: unknown;

  constructor(operation: string, body: unknown) {
    super(`Unexpected answer to ${operation}: not the shape of the two-factor REST contract`);
    this.body = body;
  }
}
