import type { ReauthenticationInput, TwoFactorClient, TwoFactorStatus } from '@strapi-two-factor/client';
import { type Account, reauthenticationMethods } from './account';
import type { ConfirmPanel } from './confirmPanel';
import { byId, fieldValue, focusAndSelect, onClick, onSubmit } from './dom';
import { errorMessage, resendWaitSeconds } from './errorMessage';
import type { RecoveryCodesSection } from './recoveryCodes';
import { createResendCountdown } from './resendCountdown';
import type { StatusRegions } from './statusRegion';

/** Adds a phone for SMS codes when the account has none (e.g. after removing it). */
export function setUpPhoneFactor(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  recoveryCodes: RecoveryCodesSection,
  confirm: ConfirmPanel,
): void {
  const section = byId('phone-section', HTMLElement);
  const phoneForm = byId('phone-form', HTMLFormElement);
  const verifyForm = byId('phone-verify-form', HTMLFormElement);
  const sentToText = byId('phone-sent-to', HTMLParagraphElement);
  const codeInput = byId('phone-code', HTMLInputElement);
  const resend = byId('phone-resend', HTMLButtonElement);
  const restart = byId('phone-restart', HTMLButtonElement);
  const countdown = createResendCountdown(resend, 'Send a new code');

  let pending: { factorId: number; phone: string } | undefined;
  let current: TwoFactorStatus | undefined;

  function showPhoneForm(): void {
    pending = undefined;
    countdown.stop();
    verifyForm.hidden = true;
    phoneForm.hidden = false;
    codeInput.value = '';
  }

  const fail = (error: unknown): void => {
    const wait = resendWaitSeconds(error);
    if (wait !== undefined) countdown.waitFor(wait);
    status.phone.say(errorMessage(error), 'error');
  };

  /**
   * `sms/setup` sends the code; called again for the same number, it sends a new one. Next to
   * an active method each call needs a fresh code from it first (re-authentication).
   */
  async function sendCode(phone: string): Promise<void> {
    if (current === undefined || current.factors.length === 0) return setUp(phone);
    confirm.open({
      explanation: 'To add a phone, confirm it’s you with a fresh code.',
      submitLabel: 'Continue',
      methods: reauthenticationMethods(current),
      action: (reauth) => setUp(phone, reauth),
    });
  }

  async function setUp(phone: string, reauth?: ReauthenticationInput): Promise<void> {
    const setup = await account.withSession(() => client.setupSms({ phone, reauth }));
    pending = { factorId: setup.factorId, phone };
    sentToText.textContent = `We sent a code to ${setup.sentTo}.`;
    phoneForm.hidden = true;
    verifyForm.hidden = false;
    status.phone.say('Code sent. A text message can take a few seconds to arrive.');
    codeInput.focus();
  }

  onSubmit(
    phoneForm,
    async () => {
      const phone = fieldValue(phoneForm, 'phone');
      if (phone === '') {
        status.phone.say('Type your phone number.', 'error');
        byId('phone-number', HTMLInputElement).focus();
        return;
      }
      await sendCode(phone);
    },
    fail,
  );

  onClick(
    resend,
    async () => {
      if (pending !== undefined) await sendCode(pending.phone);
    },
    fail,
  );

  onSubmit(
    verifyForm,
    async () => {
      if (pending === undefined) return;
      const code = codeInput.value.trim();
      if (code === '') {
        status.phone.say('Type the code from the text message.', 'error');
        codeInput.focus();
        return;
      }
      const { factorId } = pending;
      const activation = await account.withSession(() => client.activateSms({ factorId, code }));
      phoneForm.reset();
      showPhoneForm();
      await account.refresh();
      if (activation.recoveryCodes !== undefined) {
        recoveryCodes.show(activation.recoveryCodes);
        status.recoveryCodes.say('Phone added. Save your recovery codes now: they are shown only once.', 'success');
      } else {
        status.account.say('Phone added. Sign-in codes can now come by text message.', 'success');
      }
    },
    (error) => {
      fail(error);
      focusAndSelect(codeInput);
    },
  );

  restart.addEventListener('click', () => {
    showPhoneForm();
    byId('phone-number', HTMLInputElement).focus();
  });

  account.onChange((next) => {
    current = next;
    if (next === undefined) {
      phoneForm.reset();
      showPhoneForm();
    }
    section.hidden = next === undefined || next.factors.some((factor) => factor.type === 'sms');
  });
}
