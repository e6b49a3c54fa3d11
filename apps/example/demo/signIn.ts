import type { CodeMethod, LoginChallenge, TwoFactorClient } from '@strapi-two-factor/client';
import type { Account } from './account';
import { configureCodeInput, knownMethods, METHOD_LABELS } from './codeMethods';
import { byId, fieldValue, focusAndSelect, onClick, onSubmit, renderChoices } from './dom';
import { errorCode, errorMessage, resendWaitSeconds, SIGN_IN_ENDING_CODES } from './errorMessage';
import { createResendCountdown } from './resendCountdown';
import type { StatusRegions } from './statusRegion';

/**
 * Sign in: password first (`POST /api/auth/local`), then a passkey or a code by SMS, app or
 * recovery code; or a passkey alone (passwordless).
 */
export function setUpSignIn(client: TwoFactorClient, status: StatusRegions, account: Account): void {
  const passwordForm = byId('sign-in-form', HTMLFormElement);
  const identifierInput = byId('sign-in-identifier', HTMLInputElement);
  const passwordInput = byId('sign-in-password', HTMLInputElement);
  const challengeForm = byId('challenge-form', HTMLFormElement);
  const choicesGroup = byId('challenge-choices', HTMLFieldSetElement);
  const choices = byId('challenge-methods', HTMLDivElement);
  const hint = byId('challenge-hint', HTMLParagraphElement);
  const codeLabel = byId('challenge-code-label', HTMLLabelElement);
  const codeInput = byId('challenge-code', HTMLInputElement);
  const resend = byId('challenge-resend', HTMLButtonElement);
  const restart = byId('challenge-restart', HTMLButtonElement);
  const passkeyRow = byId('challenge-passkey-row', HTMLDivElement);
  const usePasskey = byId('challenge-passkey', HTMLButtonElement);
  const passkeySignIn = byId('passkey-sign-in', HTMLButtonElement);
  const countdown = createResendCountdown(resend, 'Send a new code');

  // No WebAuthn (an old browser, a page not served over HTTPS or localhost): no passkey buttons.
  const passkeysAvailable = typeof window.PublicKeyCredential === 'function';
  passkeySignIn.hidden = !passkeysAvailable;

  let challenge: LoginChallenge | undefined;
  let method: CodeMethod = 'sms';
  /** Where the SMS code went, once one was sent for this challenge. */
  let sentTo: string | undefined;

  function select(next: CodeMethod): void {
    method = next;
    configureCodeInput(codeInput, codeLabel, method);
    resend.hidden = method !== 'sms';
    countdown.setLabel(sentTo === undefined ? 'Text me a code' : 'Send a new code');
    if (method === 'sms') {
      hint.textContent =
        sentTo === undefined
          ? 'Press “Text me a code” and type the code we send to your phone.'
          : 'A text message can take a few seconds to arrive.';
    } else if (method === 'totp') {
      hint.textContent = 'Open your authenticator app and type the 6-digit code it shows now.';
    } else {
      hint.textContent = 'Type one of the recovery codes you saved. Each one works once.';
    }
  }

  function showChallenge(next: LoginChallenge): void {
    challenge = next;
    sentTo = next.method === 'sms' ? next.sentTo : undefined;
    const methods = knownMethods(next.methods);
    // A passkey has its own button; the radios choose among the codes.
    const first = next.method === 'passkey' ? (methods[0] ?? 'recovery_code') : next.method;
    renderChoices(
      choices,
      'challenge-method',
      methods.map((value) => ({ value, label: METHOD_LABELS[value] })),
      first,
      select,
    );
    // One way only: nothing to choose, the hint and the label say which.
    choicesGroup.hidden = methods.length < 2;
    passkeyRow.hidden = !(passkeysAvailable && next.methods.includes('passkey') && next.passkeyOptions !== undefined);
    select(first);
    if (sentTo !== undefined) countdown.waitUntil(next.resendAvailableAt);
    passwordForm.hidden = true;
    challengeForm.hidden = false;
    codeInput.value = '';
    status.signIn.say(
      sentTo === undefined
        ? 'Your password is right. Now confirm it’s you.'
        : `Your password is right. We sent a code to ${sentTo}.`,
    );
    codeInput.focus();
  }

  function startAgain(message?: string): void {
    challenge = undefined;
    sentTo = undefined;
    countdown.stop();
    challengeForm.hidden = true;
    passwordForm.hidden = false;
    passwordInput.value = '';
    if (message !== undefined) status.signIn.say(message, 'error');
    passwordInput.focus();
  }

  function failOnChallenge(error: unknown): void {
    const code = errorCode(error);
    if (code !== undefined && SIGN_IN_ENDING_CODES.has(code)) {
      startAgain(errorMessage(error));
      return;
    }
    const wait = resendWaitSeconds(error);
    if (wait !== undefined) countdown.waitFor(wait);
    status.signIn.say(errorMessage(error), 'error');
    focusAndSelect(codeInput);
  }

  onSubmit(
    passwordForm,
    async () => {
      const identifier = fieldValue(passwordForm, 'identifier');
      const password = passwordInput.value;
      if (identifier === '' || password === '') {
        status.signIn.say('Type your username and your password.', 'error');
        (identifier === '' ? identifierInput : passwordInput).focus();
        return;
      }
      const result = await client.signIn({ identifier, password });
      passwordInput.value = '';
      if (result.kind === 'session') {
        await account.signedIn(result.session.user, 'Signed in. This account has no two-step verification yet.');
      } else if (result.kind === 'challenge') {
        showChallenge(result.challenge);
      } else {
        status.signIn.say(
          'Your role requires two-step verification and this account has none yet. This demo does not cover that enrolment.',
          'error',
        );
      }
    },
    (error) => {
      status.signIn.say(errorMessage(error), 'error');
      focusAndSelect(passwordInput);
    },
  );

  onClick(
    resend,
    async () => {
      if (challenge === undefined) return;
      const delivery = await client.resendCode({ token: challenge.token, method: 'sms' });
      sentTo = delivery.sentTo;
      select('sms');
      countdown.waitUntil(delivery.resendAvailableAt);
      status.signIn.say(`We sent a new code to ${delivery.sentTo}.`);
      codeInput.focus();
    },
    failOnChallenge,
  );

  onSubmit(
    challengeForm,
    async () => {
      if (challenge === undefined) return;
      const code = codeInput.value.trim();
      if (code === '') {
        status.signIn.say('Type the code first.', 'error');
        codeInput.focus();
        return;
      }
      const session = await client.verifyChallenge({ token: challenge.token, method, code });
      const usedRecoveryCode = method === 'recovery_code';
      startAgain();
      await account.signedIn(
        session.user,
        usedRecoveryCode ? 'Signed in with a recovery code. That code is now used up.' : 'Signed in.',
      );
    },
    failOnChallenge,
  );

  onClick(
    usePasskey,
    async () => {
      const passkeyOptions = challenge?.passkeyOptions;
      if (challenge === undefined || passkeyOptions === undefined) return;
      status.signIn.say('Confirm with your passkey when the browser asks.');
      let session: Awaited<ReturnType<typeof client.verifyChallenge>>;
      try {
        session = await client.verifyChallenge({ token: challenge.token, method: 'passkey', passkeyOptions });
      } catch (error) {
        // The passkey's part lives 5 minutes, the sign-in 10: new options, and one more ask.
        if (errorCode(error) !== 'PASSKEY_CHALLENGE_EXPIRED') throw error;
        const renewed = await client.renewPasskeyOptions({ token: challenge.token });
        challenge = { ...challenge, passkeyOptions: renewed.passkeyOptions };
        session = await client.verifyChallenge({
          token: challenge.token,
          method: 'passkey',
          passkeyOptions: renewed.passkeyOptions,
        });
      }
      startAgain();
      await account.signedIn(session.user, 'Signed in with your password and a passkey.');
    },
    failOnChallenge,
  );

  onClick(
    passkeySignIn,
    async () => {
      status.signIn.say('Choose your passkey when the browser asks.');
      const session = await client.signInWithPasskey();
      passwordInput.value = '';
      await account.signedIn(session.user, 'Signed in with a passkey.');
    },
    (error) => status.signIn.say(errorMessage(error), 'error'),
  );

  restart.addEventListener('click', () => {
    startAgain();
    status.signIn.clear();
  });

  account.onChange((current) => {
    if (current === undefined) startAgain();
  });
}
