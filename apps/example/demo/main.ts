import { createTwoFactorClient } from '@strapi-two-factor/client';
import { createAccount } from './account';
import { setUpAuthenticatorApp } from './authenticatorApp';
import { createConfirmPanel } from './confirmPanel';
import { byId } from './dom';
import { setUpPasskeys } from './passkeys';
import { setUpPhoneFactor } from './phoneFactor';
import { setUpRecoveryCodes } from './recoveryCodes';
import { setUpSensitiveAction } from './sensitiveAction';
import { setUpSignIn } from './signIn';
import { setUpSignUp } from './signUp';
import { createStatusRegions } from './statusRegion';
import { fetchCurrentUser } from './usersPermissions';

/**
 * The demo page: plain DOM over `@strapi-two-factor/client`. It is served by the same Strapi
 * (`strapi::public`), so the http-only refresh cookie needs no CORS; the jwt lives in memory only.
 */
const client = createTwoFactorClient({ baseUrl: window.location.origin });
const status = createStatusRegions({
  signUp: 'sign-up-status',
  signIn: 'sign-in-status',
  account: 'account-status',
  confirm: 'confirm-status',
  authenticatorApp: 'totp-status',
  phone: 'phone-status',
  recoveryCodes: 'recovery-status',
  sensitiveAction: 'sensitive-status',

  passkeys: 'passkey-status',
});
const confirm = createConfirmPanel(client, status);
const account = createAccount(client, status, confirm);
const recoveryCodes = setUpRecoveryCodes(client, status, account, confirm);
setUpAuthenticatorApp(client, status, account, recoveryCodes, confirm);
setUpPhoneFactor(client, status, account, recoveryCodes, confirm);
setUpPasskeys(client, status, account, recoveryCodes, confirm);
setUpSignUp(client, status, account, recoveryCodes);
setUpSignIn(client, status, account);
setUpSensitiveAction(client, status, account, confirm);

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
byId('dev-hint', HTMLParagraphElement).hidden = !LOCAL_HOSTS.includes(window.location.hostname);

/** A reload keeps the session: the http-only refresh cookie gives a new jwt, when there is one. */
async function resumeSession(): Promise<void> {
  try {
    const { jwt } = await client.refresh();
    const user = await fetchCurrentUser(jwt);
    await account.signedIn(user, `Welcome back, ${user.username}.`);
  } catch {
    client.setAccessToken(null);
  }
}

void resumeSession();
