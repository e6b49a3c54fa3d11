import type { ReauthenticationInput, TotpSetup, TwoFactorClient, TwoFactorStatus } from '@strapi-two-factor/client';
import { type Account, reauthenticationMethods } from './account';
import type { ConfirmPanel } from './confirmPanel';
import { byId, focusAndSelect, onClick, onSubmit } from './dom';
import { errorMessage } from './errorMessage';
import type { RecoveryCodesSection } from './recoveryCodes';
import type { StatusRegions } from './statusRegion';

/** The key in groups of four, as authenticator apps show and accept it. */
function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Adds an authenticator app: a QR code (or the key as text), then a code from the app. */
export function setUpAuthenticatorApp(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  recoveryCodes: RecoveryCodesSection,
  confirm: ConfirmPanel,
): void {
  const section = byId('totp-section', HTMLElement);
  const start = byId('totp-start', HTMLButtonElement);
  const form = byId('totp-form', HTMLFormElement);
  const qrCode = byId('totp-qr', HTMLImageElement);
  const secretText = byId('totp-secret', HTMLElement);
  const codeInput = byId('totp-code', HTMLInputElement);
  const cancel = byId('totp-cancel', HTMLButtonElement);

  let setup: TotpSetup | undefined;
  let current: TwoFactorStatus | undefined;

  function close(): void {
    setup = undefined;
    form.hidden = true;
    start.hidden = false;
    codeInput.value = '';
    qrCode.removeAttribute('src');
    secretText.textContent = '';
  }

  async function begin(reauth?: ReauthenticationInput): Promise<void> {
    const started = await account.withSession(() => client.setupTotp(reauth));
    setup = started;
    // An <img> with a data: URL, not innerHTML: nothing from the answer runs as markup here.
    qrCode.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(started.qrCodeSvg)}`;
    secretText.textContent = groupedSecret(started.secret);
    start.hidden = true;
    form.hidden = false;
    status.authenticatorApp.say('Scan the QR code with your authenticator app, then type the code it shows.');
    codeInput.focus();
  }

  onClick(
    start,
    async () => {
      // Adding a method next to an active one needs a fresh code from it (re-authentication).
      if (current === undefined || current.factors.length === 0) return begin();
      confirm.open({
        explanation: 'To add an authenticator app, confirm it’s you with a fresh code.',
        submitLabel: 'Continue',
        methods: reauthenticationMethods(current),
        action: (reauth) => begin(reauth),
      });
    },
    (error) => status.authenticatorApp.say(errorMessage(error), 'error'),
  );

  onSubmit(
    form,
    async () => {
      if (setup === undefined) return;
      const code = codeInput.value.trim();
      if (code === '') {
        status.authenticatorApp.say('Type the 6-digit code your app shows.', 'error');
        codeInput.focus();
        return;
      }
      const { factorId } = setup;
      const activation = await account.withSession(() => client.activateTotp({ factorId, code }));
      close();
      await account.refresh();
      if (activation.recoveryCodes !== undefined) {
        recoveryCodes.show(activation.recoveryCodes);
        status.recoveryCodes.say(
          'Authenticator app added. Save your recovery codes now: they are shown only once.',
          'success',
        );
      } else {
        status.account.say('Authenticator app added. From now on you can sign in with its codes.', 'success');
      }
    },
    (error) => {
      status.authenticatorApp.say(errorMessage(error), 'error');
      focusAndSelect(codeInput);
    },
  );

  cancel.addEventListener('click', () => {
    close();
    status.authenticatorApp.say('The authenticator app was not added.');
    start.focus();
  });

  account.onChange((next) => {
    current = next;
    if (next === undefined) close();
    // One app per account: the section offers a new one only when there is none.
    section.hidden = next === undefined || next.factors.some((factor) => factor.type === 'totp');
  });
}
