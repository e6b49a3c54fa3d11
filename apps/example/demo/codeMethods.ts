import type { CodeMethod } from '@strapi-two-factor/client';

/** How each way of confirming with a code is named on the page (a passkey has its own button). */
export const METHOD_LABELS: Record<CodeMethod, string> = {
  sms: 'Text message',
  totp: 'Authenticator app',
  recovery_code: 'Recovery code',
  email: 'Email',
};

/** The code methods the page knows, in the order it offers them. */
export function knownMethods(methods: readonly string[]): CodeMethod[] {
  return (Object.keys(METHOD_LABELS) as CodeMethod[]).filter((method) => methods.includes(method));
}

/**
 * Sets up the code field for `method`: digits for SMS and app codes (the phone's keyboard
 * shows digits, the browser offers the code from the SMS), letters for recovery codes.
 */
export function configureCodeInput(input: HTMLInputElement, label: HTMLLabelElement, method: CodeMethod): void {
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
