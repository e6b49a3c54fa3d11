/** A send was queued after shutdown began; it would never leave, so it is refused loudly. */
export class SmsQueueClosedError extends Error {
  override readonly name = 'SmsQueueClosedError';

  constructor(label: string) {
    super(`The SMS queue is closed; the SMS to ${label} was not queued`);
  }
}
