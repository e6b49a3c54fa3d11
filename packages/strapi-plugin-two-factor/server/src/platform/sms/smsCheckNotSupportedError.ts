import type { SmsProvider } from './smsSender';

/** A caller asked a provider that only delivers codes to check one; the plugin must check it itself. */
export class SmsCheckNotSupportedError extends Error {
  override readonly name = 'SmsCheckNotSupportedError';

  constructor(readonly provider: SmsProvider) {
    super(`The "${provider}" SMS provider does not check codes; the plugin checks them itself`);
  }
}
