export interface ResendCountdown {
  /** Keeps the button disabled, showing the seconds left, until `availableAt` (ISO 8601). */
  waitUntil(availableAt: string | undefined): void;
  /** Waits `seconds` from now: the server's `retryAfterSeconds` after a `RESEND_TOO_SOON`. */
  waitFor(seconds: number): void;
  /** Stops counting and enables the button. */
  stop(): void;
  /** The button's text when it can be pressed. */
  setLabel(label: string): void;
}

/**
 * A resend button that counts down to the server's `resendAvailableAt`. The device's clock
 * may be off, so the countdown is a hint: a `RESEND_TOO_SOON` answer corrects it.
 */
export function createResendCountdown(button: HTMLButtonElement, initialLabel: string): ResendCountdown {
  let label = initialLabel;
  let timer: ReturnType<typeof setInterval> | undefined;
  let availableAt = 0;

  function render(): void {
    const seconds = Math.max(0, Math.ceil((availableAt - Date.now()) / 1000));
    if (seconds === 0) {
      stop();
      return;
    }
    button.disabled = true;
    button.dataset.countdown = 'running';
    button.textContent = `${label} in ${seconds} s`;
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    delete button.dataset.countdown;
    button.disabled = false;
    button.textContent = label;
  }

  function waitUntilMilliseconds(milliseconds: number): void {
    if (timer !== undefined) clearInterval(timer);
    availableAt = milliseconds;
    render();
    if (button.dataset.countdown === 'running') timer = setInterval(render, 1000);
  }

  button.textContent = label;
  return {
    waitUntil(isoDate) {
      if (isoDate === undefined) stop();
      else waitUntilMilliseconds(Date.parse(isoDate));
    },
    waitFor(seconds) {
      waitUntilMilliseconds(Date.now() + seconds * 1000);
    },
    stop,
    setLabel(next) {
      label = next;
      if (button.dataset.countdown === 'running') render();
      else button.textContent = label;
    },
  };
}
