import type { ReauthenticationInput, TwoFactorClient, TwoFactorStatus } from '@strapi-two-factor/client';
import { type Account, reauthenticationMethods } from './account';
import type { ConfirmPanel } from './confirmPanel';
import { byId, onSubmit } from './dom';
import { errorMessage } from './errorMessage';
import type { RecoveryCodesSection } from './recoveryCodes';
import type { StatusRegions } from './statusRegion';

/**
 * Adds a passkey: `passkey/setup`, the browser makes the passkey, `passkey/activate` with the
 * name typed here. The passkeys then show in the account's list like every other factor.
 */
export function setUpPasskeys(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  recoveryCodes: RecoveryCodesSection,
  confirm: ConfirmPanel,
): void {
  const section = byId('passkey-section', HTMLElement);
  const form = byId('passkey-form', HTMLFormElement);
  const labelInput = byId('passkey-label', HTMLInputElement);
  const passkeysAvailable = typeof window.PublicKeyCredential === 'function';

  let current: TwoFactorStatus | undefined;

  async function add(label: string, reauth?: ReauthenticationInput): Promise<void> {
    status.passkeys.say('Create the passkey when the browser asks.');
    const created = await account.withSession(() => client.setupPasskey({ reauth }));
    const activation = await account.withSession(() =>
      client.activatePasskey({ ...created, label: label === '' ? undefined : label }),
    );
    labelInput.value = '';
    await account.refresh();
    const name = activation.factor.label ?? label;
    if (activation.recoveryCodes !== undefined) {
      recoveryCodes.show(activation.recoveryCodes);
      status.recoveryCodes.say(
        `Passkey “${name}” added. Save your recovery codes now: they are shown only once.`,
        'success',
      );
    } else {
      status.passkeys.say(`Passkey “${name}” added. You can sign in with it now.`, 'success');
    }
  }

  onSubmit(
    form,
    async () => {
      if (!passkeysAvailable) {
        status.passkeys.say('This browser cannot make passkeys on this page.', 'error');
        return;
      }
      const label = labelInput.value.trim();
      // Adding a method next to an active one needs a fresh proof from it (re-authentication).
      if (current === undefined || current.factors.length === 0) return add(label);
      confirm.open({
        explanation: 'To add a passkey, confirm it’s you first.',
        submitLabel: 'Continue',
        methods: reauthenticationMethods(current),
        action: (reauth) => add(label, reauth),
      });
    },
    (error) => status.passkeys.say(errorMessage(error), 'error'),
  );

  account.onChange((next) => {
    current = next;
    section.hidden = next === undefined;
    if (next === undefined) labelInput.value = '';
  });
}
