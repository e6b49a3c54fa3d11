/**
 * No WebAuthn here (React Native without a `passkeys` option, an insecure page, an old
 * browser), or the browser answered with nothing. Nothing was sent to the server.
 */
export class PasskeysUnavailableError extends Error {
  override readonly name = 'PasskeysUnavailableError';

  constructor(
    message = 'Passkeys need WebAuthn (navigator.credentials on a secure page), or a `passkeys` option wrapping a native module',
  ) {
    super(message);
  }
}
