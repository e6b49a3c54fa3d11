import type { TwoFactorClient, TwoFactorStatus } from '@strapi-two-factor/client';
import { type Account, reauthenticationMethods } from './account';
import type { ConfirmPanel } from './confirmPanel';
import { byId } from './dom';
import type { StatusRegions } from './statusRegion';

export interface RecoveryCodesSection {
  /** Shows new codes once, with a .txt download. */
  show(codes: string[]): void;
}

/** The text file a person keeps: where the codes work, how, and the codes, one a line. */
function recoveryCodesFile(codes: string[], username: string): string {
  return [
    `Recovery codes for ${username} on ${window.location.host}`,
    'Each code signs you in once, when you cannot get a code by text message or from your app.',
    `Made ${new Date().toISOString()}`,
    '',
    ...codes,
    '',
  ].join('\n');
}

export function setUpRecoveryCodes(
  client: TwoFactorClient,
  status: StatusRegions,
  account: Account,
  confirm: ConfirmPanel,
): RecoveryCodesSection {
  const section = byId('recovery-section', HTMLElement);
  const title = byId('recovery-title', HTMLHeadingElement);
  const summary = byId('recovery-summary', HTMLParagraphElement);
  const fresh = byId('recovery-new', HTMLDivElement);
  const list = byId('recovery-list', HTMLOListElement);
  const downloadSlot = byId('recovery-download', HTMLDivElement);
  const regenerate = byId('recovery-regenerate', HTMLButtonElement);

  let current: TwoFactorStatus | undefined;
  let downloadUrl: string | undefined;

  function hideCodes(): void {
    if (downloadUrl !== undefined) URL.revokeObjectURL(downloadUrl);
    downloadUrl = undefined;
    downloadSlot.replaceChildren();
    list.replaceChildren();
    fresh.hidden = true;
  }

  function render(next: TwoFactorStatus | undefined): void {
    current = next;
    if (next === undefined) {
      hideCodes();
      return;
    }
    const remaining = next.recoveryCodesRemaining;
    regenerate.hidden = !next.enabled;
    regenerate.textContent = remaining === 0 ? 'Make recovery codes' : 'Make new recovery codes';
    if (!next.enabled) {
      // The last factor went, and its recovery codes with it.
      hideCodes();
      summary.textContent = 'Recovery codes come with your first phone or authenticator app.';
    } else if (remaining === 0) {
      summary.textContent = 'You have no recovery codes. Make some, so you can still sign in if you lose your phone.';
    } else {
      summary.textContent = `You have ${remaining} unused recovery code${remaining === 1 ? '' : 's'}.`;
    }
  }

  const recoveryCodes: RecoveryCodesSection = {
    show(codes) {
      hideCodes();
      list.replaceChildren(
        ...codes.map((code) => {
          const item = document.createElement('li');
          item.textContent = code;
          return item;
        }),
      );
      downloadUrl = URL.createObjectURL(
        new Blob([recoveryCodesFile(codes, account.username())], { type: 'text/plain;charset=utf-8' }),
      );
      // A real link, so it can be opened, focused and saved like any other download.
      const download = document.createElement('a');
      download.className = 'button';
      download.href = downloadUrl;
      download.download = 'recovery-codes.txt';
      download.textContent = 'Download as .txt';
      downloadSlot.replaceChildren(download);
      fresh.hidden = false;
      section.scrollIntoView({ block: 'nearest' });
      title.focus();
    },
  };

  regenerate.addEventListener('click', () => {
    if (current === undefined) return;
    const replacing = current.recoveryCodesRemaining > 0;
    confirm.open({
      explanation: replacing
        ? 'New recovery codes replace your old ones, which stop working. Confirm it’s you with a fresh code.'
        : 'To make your recovery codes, confirm it’s you with a fresh code.',
      submitLabel: 'Make codes',
      methods: reauthenticationMethods(current),
      action: async (reauth) => {
        const made = await account.withSession(() => client.regenerateRecoveryCodes(reauth));
        await account.refresh();
        recoveryCodes.show(made.recoveryCodes);
        status.recoveryCodes.say('New recovery codes made. Save them now: they are shown only once.', 'success');
      },
    });
  });

  account.onChange(render);
  return recoveryCodes;
}
