import { byId } from './dom';

export type StatusTone = 'info' | 'success' | 'error';

/** A section's `aria-live` region: what just happened there, read out by screen readers. */
export interface StatusRegion {
  say(message: string, tone?: StatusTone): void;
  clear(): void;
}

/** One region per section, beside the form the person is using. */
export interface StatusRegions {
  signUp: StatusRegion;
  signIn: StatusRegion;
  account: StatusRegion;
  confirm: StatusRegion;
  authenticatorApp: StatusRegion;
  phone: StatusRegion;
  recoveryCodes: StatusRegion;
  sensitiveAction: StatusRegion;

  passkeys: StatusRegion;
}

/**
 * The page's status regions (`role="status"`, polite). Saying something in one clears the
 * others, so only the newest message is on the page, next to where it happened.
 */
export function createStatusRegions(ids: Record<keyof StatusRegions, string>): StatusRegions {
  const elements: HTMLElement[] = [];
  const clear = (element: HTMLElement): void => {
    element.textContent = '';
    delete element.dataset.tone;
  };
  const region = (id: string): StatusRegion => {
    const element = byId(id, HTMLParagraphElement);
    elements.push(element);
    return {
      say(message, tone = 'info') {
        // A hidden section's region is neither seen nor read out: keep the message shown elsewhere.
        if (element.closest('[hidden]') !== null) return;
        for (const other of elements) if (other !== element) clear(other);
        element.dataset.tone = tone;
        element.textContent = message;
      },
      clear: () => clear(element),
    };
  };
  return {
    signUp: region(ids.signUp),
    signIn: region(ids.signIn),
    account: region(ids.account),
    confirm: region(ids.confirm),
    authenticatorApp: region(ids.authenticatorApp),
    phone: region(ids.phone),
    recoveryCodes: region(ids.recoveryCodes),
    sensitiveAction: region(ids.sensitiveAction),

    passkeys: region(ids.passkeys),
  };
}
