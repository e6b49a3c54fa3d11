/** A self-service call was made while the client holds no access token; nothing was sent. */
export class NotSignedInError extends Error {
  override readonly name = 'NotSignedInError';

  constructor(operation: string) {
    super(`${operation} needs a signed-in user: sign in first, or give the client a jwt with setAccessToken()`);
  }
}
