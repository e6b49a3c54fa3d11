export interface ClockService {
  /** The plugin's current time: every expiry, cooldown and lock-out is measured with it. */
  now(): Date;
  /**
   * Moves the plugin's time forward (or back) by `milliseconds`. Tests use it to check
   * expiry without sleeping; nothing in the plugin calls it.
   */
  travel(milliseconds: number): void;
}

export function createClockService(): ClockService {
  let offsetMilliseconds = 0;
  return {
    now: () => new Date(Date.now() + offsetMilliseconds),
    travel(milliseconds: number): void {
      offsetMilliseconds += milliseconds;
    },
  };
}
