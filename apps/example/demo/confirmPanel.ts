import type { ReauthenticationInput, SecondFactorMethod, TwoFactorClient } from '@strapi-two-factor/client';
import { configureCodeInput, METHOD_LABELS } from './codeMethods';
import { byId, focusAndSelect, onClick, onSubmit, renderChoices } from './dom';
import { errorMessage, resendWaitSeconds } from './errorMessage';
import { createResendCountdown } from './resendCountdown';
import type { StatusRegions } from './statusRegion';

export interface ConfirmRequest {
  /** What the fresh code is for, as a sentence. */
  explanation: string;
  submitLabel: string;
  /** The methods the user holds now. */
  methods: SecondFactorMethod[];
  /** Runs with the fresh code or passkey answer; when it throws, the panel stays open for another try. */
  action(reauth: ReauthenticationInput): Promise<void>;
}

export interface ConfirmPanel {
  open(request: ConfirmRequest): void;
  close(): void;
}

/** Prefers what needs nothing typed (a passkey), then the app, then SMS, then a recovery code. */
const PREFERENCE: SecondFactorMethod[] = ['passkey', 'totp', 'sms', 'recovery_code'];

const CHOICE_LABELS: Record<SecondFactorMethod, string> = { ...METHOD_LABELS, passkey: 'Passkey' };

/**
 * "Confirm it’s you": removing a factor, adding one next to an active one, or making new
 * recovery codes needs a fresh proof from a factor the user holds now — a passkey, an app
 * code, an SMS code sent on request, or a recovery code.
 */
export function createConfirmPanel(client: TwoFactorClient, status: StatusRegions): ConfirmPanel {
  const section = byId('confirm-section', HTMLElement);
  const title = byId('confirm-title', HTMLHeadingElement);
  const explanation = byId('confirm-explanation', HTMLParagraphElement);
  const form = byId('confirm-form', HTMLFormElement);
  const choicesGroup = byId('confirm-choices', HTMLFieldSetElement);
  const choices = byId('confirm-methods', HTMLDivElement);
  const hint = byId('confirm-hint', HTMLParagraphElement);
  const codeLabel = byId('confirm-code-label', HTMLLabelElement);
  const codeInput = byId('confirm-code', HTMLInputElement);
  const submit = byId('confirm-submit', HTMLButtonElement);
  const send = byId('confirm-send', HTMLButtonElement);
  const cancel = byId('confirm-cancel', HTMLButtonElement);
  const accountTitle = byId('account-title', HTMLHeadingElement);
  const countdown = createResendCountdown(send, 'Text me a code');

  let request: ConfirmRequest | undefined;
  let method: SecondFactorMethod = 'totp';
  let sentTo: string | undefined;

  function select(next: SecondFactorMethod): void {
    method = next;
    send.hidden = method !== 'sms';
    // A passkey needs nothing typed: the browser asks for the fingerprint, face or PIN.
    codeLabel.hidden = method === 'passkey';
    codeInput.hidden = method === 'passkey';
    if (method === 'passkey') {
      hint.textContent = 'Press the button below, then confirm with your passkey when the browser asks.';
      return;
    }
    configureCodeInput(codeInput, codeLabel, method);
    if (method === 'sms') {
      hint.textContent =
        sentTo === undefined
          ? 'Press “Text me a code”, then type the code we send.'
          : 'A text message can take a few seconds to arrive.';
    } else if (method === 'totp') {
      hint.textContent = 'Type the 6-digit code your authenticator app shows now.';
    } else {
      hint.textContent = 'Type one of your unused recovery codes. It will be used up.';
    }
  }

  function close(): void {
    request = undefined;
    sentTo = undefined;
    countdown.setLabel('Text me a code');
    countdown.stop();
    codeInput.value = '';
    section.hidden = true;
  }

  const fail = (error: unknown): void => {
    status.confirm.say(errorMessage(error), 'error');
    const wait = resendWaitSeconds(error);
    if (wait !== undefined) countdown.waitFor(wait);
    if (method !== 'passkey') focusAndSelect(codeInput);
  };

  onClick(
    send,
    async () => {
      const delivery = await client.sendStepUpCode();
      sentTo = delivery.sentTo;
      countdown.setLabel('Send a new code');
      countdown.waitUntil(delivery.resendAvailableAt);
      select('sms');
      status.confirm.say(`We sent a code to ${delivery.sentTo}.`);
      codeInput.focus();
    },
    fail,
  );

  onSubmit(
    form,
    async () => {
      const code = codeInput.value.trim();
      if (request === undefined) return;
      if (method === 'passkey') {
        status.confirm.say('Waiting for your passkey…');
        await request.action(await client.reauthenticateWithPasskey());
        close();
        return;
      }
      if (code === '') {
        status.confirm.say('Type the code first.', 'error');
        codeInput.focus();
        return;
      }
      await request.action({ method, code });
      close();
    },
    fail,
  );

  cancel.addEventListener('click', () => {
    close();
    status.account.say('Nothing was changed.');
    accountTitle.focus();
  });

  return {
    open(next) {
      request = next;
      sentTo = undefined;
      countdown.setLabel('Text me a code');
      countdown.stop();
      // With a passkey there is no code to fetch: the wording says so.
      const hasPasskey = next.methods.includes('passkey');
      explanation.textContent = hasPasskey
        ? next.explanation.replace(' with a fresh code.', ' with your passkey or a fresh code.')
        : next.explanation;
      const legend = choicesGroup.querySelector('legend');
      if (legend !== null) legend.textContent = hasPasskey ? 'Confirm with' : 'With a fresh code from';
      submit.textContent = next.submitLabel;
      const first = PREFERENCE.find((candidate) => next.methods.includes(candidate)) ?? 'totp';
      renderChoices(
        choices,
        'confirm-method',
        PREFERENCE.filter((candidate) => next.methods.includes(candidate)).map((value) => ({
          value,
          label: CHOICE_LABELS[value],
        })),
        first,
        select,
      );
      choicesGroup.hidden = next.methods.length < 2;
      select(first);
      codeInput.value = '';
      section.hidden = false;
      section.scrollIntoView({ block: 'nearest' });
      title.focus();
    },
    close,
  };
}
