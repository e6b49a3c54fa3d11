/** Work was queued after shutdown began; it would never run, so it is refused loudly. */
export class QueueClosedError extends Error {
  override readonly name = 'QueueClosedError';

  constructor(label: string) {
    super(`The after-response queue is closed; ${label} was not queued`);
  }
}
