import type { TwoFactorClient } from '@strapi-two-factor/client';
import type { Account } from './account';
import { byId, fieldValue, focusAndSelect, onClick, onSubmit } from './dom';
import { errorCode, errorMessage, resendWaitSeconds } from './errorMessage';
import type { RecoveryCodesSection } from './recoveryCodes';
import { createResendCountdown } from './resendCountdown';
import type { StatusRegions } from './statusRegion';

/** The field a sign-up error is about, by the server's `details.code`. */
const FIELD_AT_FAULT: Partial<Record<string, string>> = {
  INVALID_PHONE: 'sign-up-phone',
  COUNTRY_NOT_ALLOWED: 'sign-up-phone',
  PHONE_TAKEN: 'sign-up-phone',
  ACCOUNT_EXISTS: 'sign-up-username',
};

/** Phone sign-up: register (the SMS goes out before the answer), then confirm with the code. */
export function setUpSignUp(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  recoveryCodes: RecoveryCodesSection,
): void {
  const registerForm = byId('sign-up-form', HTMLFormElement);
  const verifyForm = byId('sign-up-verify-form', HTMLFormElement);
  const sentToText = byId('sign-up-sent-to', HTMLParagraphElement);
  const codeInput = byId('sign-up-code', HTMLInputElement);
  const resend = byId('sign-up-resend', HTMLButtonElement);
  const restart = byId('sign-up-restart', HTMLButtonElement);
  const countdown = createResendCountdown(resend, 'Send a new code');

  /** The number being confirmed, as the person typed it (the server normalises it). */
  let phone = '';

  function showRegisterForm(): void {
    phone = '';
    countdown.stop();
    verifyForm.hidden = true;
    registerForm.hidden = false;
    codeInput.value = '';
  }

  const fail = (error: unknown): void => {
    const wait = resendWaitSeconds(error);
    if (wait !== undefined) countdown.waitFor(wait);
    status.signUp.say(errorMessage(error), 'error');
  };

  onSubmit(
    registerForm,
    async () => {
      const username = fieldValue(registerForm, 'username');
      const email = fieldValue(registerForm, 'email');
      const password = byId('sign-up-password', HTMLInputElement).value;
      const number = fieldValue(registerForm, 'phone');
      const problem =
        username.length < 3
          ? { field: 'sign-up-username', message: 'Type a username of at least 3 characters.' }
          : number === ''
            ? { field: 'sign-up-phone', message: 'Type your phone number.' }
            : password.length < 6
              ? { field: 'sign-up-password', message: 'Type a password of at least 6 characters.' }
              : undefined;
      if (problem !== undefined) {
        status.signUp.say(problem.message, 'error');
        byId(problem.field, HTMLInputElement).focus();
        return;
      }
      const delivery = await client.registerWithPhone({
        username,
        phone: number,
        password,
        ...(email === '' ? {} : { email }),
      });
      phone = number;
      sentToText.textContent = `We sent a code to ${delivery.sentTo}.`;
      registerForm.hidden = true;
      verifyForm.hidden = false;
      countdown.waitUntil(delivery.resendAvailableAt);
      status.signUp.say('Code sent. A text message can take a few seconds to arrive.');
      codeInput.focus();
    },
    (error) => {
      fail(error);
      // Put the caret where the fix goes.
      const field = FIELD_AT_FAULT[errorCode(error) ?? ''];
      if (field !== undefined) focusAndSelect(byId(field, HTMLInputElement));
    },
  );

  onSubmit(
    verifyForm,
    async () => {
      const code = codeInput.value.trim();
      if (code === '') {
        status.signUp.say('Type the code from the text message.', 'error');
        codeInput.focus();
        return;
      }
      const session = await client.verifyPhone({ phone, code });
      registerForm.reset();
      showRegisterForm();
      await account.signedIn(session.user, 'Your number is confirmed and your account is ready.');
      // The number is the first factor: its recovery codes are shown this once.
      if (session.recoveryCodes !== undefined) recoveryCodes.show(session.recoveryCodes);
    },
    (error) => {
      fail(error);
      focusAndSelect(codeInput);
    },
  );

  onClick(
    resend,
    async () => {
      const delivery = await client.resendPhoneCode({ phone });
      countdown.waitUntil(delivery.resendAvailableAt);
      status.signUp.say(`We sent a new code to ${delivery.sentTo}.`);
      codeInput.focus();
    },
    fail,
  );

  restart.addEventListener('click', () => {
    showRegisterForm();
    status.signUp.clear();
    byId('sign-up-phone', HTMLInputElement).focus();
  });
}
