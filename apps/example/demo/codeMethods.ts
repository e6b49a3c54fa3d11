import type { SecondFactorMethod } from '@strapi-two-factor/client';

/** How each way of confirming is named on the page. */
export const METHOD_LABELS: Record<SecondFactorMethod, string> = {
  sms: 'Text message',
  totp: 'Authenticator app',
  recovery_code: 'Recovery code',
  email: 'Email',
};

/** The methods the page knows, in the order it offers them. */
export function knownMethods(methods: readonly string[]): SecondFactorMethod[] {
  return (Object.keys(METHOD_LABELS) as SecondFactorMethod[]).filter((method) => methods.includes(method));
}

/**
 * Sets up the code field for `method`: digits for SMS and app codes (the phone's keyboard
 * shows digits, the browser offers the code from the SMS), letters for recovery codes.
 */
export function configureCodeInput(input: HTMLInputElement, label: HTMLLabelElement, method: SecondFactorMethod): void {
  if (method === 'recovery_code') {
    label.textContent = 'Recovery code';
    input.inputMode = 'text';
    input.autocomplete = 'off';
    input.autocapitalize = 'characters';
    input.spellcheck = false;
    input.placeholder = 'XXXXX-XXXXX';
  } else {
    label.textContent = method === 'totp' ? 'Code from your authenticator app' : 'Code from the text message';
    input.inputMode = 'numeric';
    input.autocomplete = 'one-time-code';
    input.removeAttribute('autocapitalize');
    input.placeholder = '';
  }
}
