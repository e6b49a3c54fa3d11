import {
  type FactorDescription,
  type SecondFactorMethod,
  type StrapiUser,
  TwoFactorApiError,
  type TwoFactorClient,
  type TwoFactorStatus,
} from '@strapi-two-factor/client';
import type { ConfirmPanel } from './confirmPanel';
import { byId } from './dom';
import type { StatusRegions } from './statusRegion';
import { signOutOfStrapi } from './usersPermissions';

/** The signed-in state every section draws from; `undefined` once signed out. */
export type AccountListener = (status: TwoFactorStatus | undefined) => void;

export interface Account {
  signedIn(user: StrapiUser, message: string): Promise<void>;
  signOut(message: string): Promise<void>;
  /** Re-reads `GET /api/two-factor/me` and redraws every section. */
  refresh(): Promise<void>;
  /** Draws `status` (as `removeFactor` returns it) without asking again. */
  publish(status: TwoFactorStatus): void;
  onChange(listener: AccountListener): void;
  username(): string;
  /** Runs a self-service call; an expired jwt is refreshed once (http-only cookie) and the call repeated. */
  withSession<Result>(call: () => Promise<Result>): Promise<Result>;
}

/** The methods that can confirm a sensitive change for a user in `status`. */
export function reauthenticationMethods(status: TwoFactorStatus): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (status.factors.some((factor) => factor.type === 'passkey')) methods.push('passkey');
  if (status.factors.some((factor) => factor.type === 'totp')) methods.push('totp');
  if (status.factors.some((factor) => factor.type === 'sms')) methods.push('sms');
  if (status.recoveryCodesRemaining > 0) methods.push('recovery_code');
  return methods;
}

function factorName(factor: FactorDescription): string {
  if (factor.type === 'passkey') return `Passkey “${factor.label ?? 'unnamed'}”`;
  if (factor.type === 'totp') return 'Authenticator app';
  if (factor.type === 'sms') return `Text messages to ${factor.sentTo ?? factor.label ?? 'your phone'}`;
  return 'Email';
}

function factorDates(factor: FactorDescription): string {
  const format = (iso: string): string => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
  const parts: string[] = [];
  // A synced passkey survives the loss of this device; a device-bound one does not.
  if (factor.type === 'passkey' && factor.backedUp !== undefined) {
    parts.push(factor.backedUp ? 'synced' : 'this device only');
  }
  if (factor.createdAt !== null) parts.push(`added ${format(factor.createdAt)}`);
  if (factor.lastUsedAt !== null) parts.push(`last used ${format(factor.lastUsedAt)}`);
  return parts.join(', ');
}

/** The "Signed in as …" section: who, which factors (each removable with a fresh code), sign out. */
export function createAccount(client: TwoFactorClient, status: StatusRegions, confirm: ConfirmPanel): Account {
  const signedOutView = byId('signed-out', HTMLDivElement);
  const signedInView = byId('signed-in', HTMLDivElement);
  const title = byId('account-title', HTMLHeadingElement);
  const name = byId('account-name', HTMLSpanElement);
  const summary = byId('account-summary', HTMLParagraphElement);
  const list = byId('factor-list', HTMLUListElement);
  const signOutButton = byId('sign-out', HTMLButtonElement);
  const signInIdentifier = byId('sign-in-identifier', HTMLInputElement);

  const listeners: AccountListener[] = [];
  let user: StrapiUser | undefined;

  function render(current: TwoFactorStatus): void {
    const hasPasskey = current.factors.some((factor) => factor.type === 'passkey');
    if (!current.enabled) summary.textContent = 'Two-step verification is off: add a phone, an app or a passkey below.';
    else if (hasPasskey) {
      summary.textContent =
        'Two-step verification is on: sign in with your password and a code or passkey, or with a passkey alone.';
    } else summary.textContent = 'Two-step verification is on: signing in takes your password and a code.';
    list.replaceChildren(
      ...current.factors.map((factor) => {
        const item = document.createElement('li');
        const text = document.createElement('span');
        const strong = document.createElement('strong');
        strong.textContent = factorName(factor);
        const dates = document.createElement('span');
        dates.className = 'meta';
        dates.textContent = ` · ${factorDates(factor)}`;
        text.append(strong, dates);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'secondary';
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', `Remove ${factorName(factor).toLowerCase()}`);
        remove.addEventListener('click', () => askToRemove(factor, current));
        item.append(text, remove);
        return item;
      }),
    );
  }

  function askToRemove(factor: FactorDescription, current: TwoFactorStatus): void {
    let what = `text messages to ${factor.sentTo ?? 'your phone'}`;
    if (factor.type === 'totp') what = 'the authenticator app';
    else if (factor.type === 'passkey') what = `the passkey “${factor.label ?? 'unnamed'}”`;
    const last = current.factors.length === 1;
    confirm.open({
      explanation:
        `To remove ${what}, confirm it’s you with a fresh code.` +
        (last ? ' It is your last one: two-step verification turns off and your recovery codes stop working.' : ''),
      submitLabel: 'Remove',
      methods: reauthenticationMethods(current),
      action: async (reauth) => {
        const next = await account.withSession(() => client.removeFactor({ factorId: factor.id, ...reauth }));
        account.publish(next);
        status.account.say(`Removed: ${what}.`, 'success');
        title.focus();
      },
    });
  }

  function notify(current: TwoFactorStatus | undefined): void {
    for (const listener of listeners) listener(current);
  }

  const account: Account = {
    async signedIn(signedInUser, message) {
      user = signedInUser;
      name.textContent = signedInUser.username;
      signedOutView.hidden = true;
      signedInView.hidden = false;
      await account.refresh();
      status.account.say(message, 'success');
      title.focus();
    },

    async signOut(message) {
      await signOutOfStrapi(client.getAccessToken());
      client.setAccessToken(null);
      user = undefined;
      confirm.close();
      notify(undefined);
      signedInView.hidden = true;
      signedOutView.hidden = false;
      status.signIn.say(message, 'success');
      signInIdentifier.focus();
    },

    async refresh() {
      account.publish(await account.withSession(() => client.me()));
    },

    publish(current) {
      render(current);
      notify(current);
    },

    onChange(listener) {
      listeners.push(listener);
    },

    username: () => user?.username ?? '',

    async withSession(call) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof TwoFactorApiError) || error.status !== 401) throw error;
        try {
          await client.refresh();
        } catch {
          await account.signOut('Your session has ended. Sign in again.');
          throw error;
        }
        return call();
      }
    },
  };

  signOutButton.addEventListener('click', () => {
    void account.signOut('You are signed out.');
  });

  return account;
}
