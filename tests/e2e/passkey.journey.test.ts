import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUsername } from '../support/phoneSignUp';
import { uniquePhone } from '../support/twoFactor';
import { DemoPage } from './support/demoPage';
import { shouldRunJourney } from './support/headlessChromium';

const runJourney = shouldRunJourney('the passkey journey');

/** A free port of 127.0.0.1, so the passkey origin (`http://localhost:PORT`) is known before the app starts. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** What Chromium's virtual authenticator holds (`WebAuthn.getCredentials`). */
interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  userHandle: string;
  signCount: number;
}

describe.skipIf(!runJourney)('passkeys on the demo page, in headless Chromium with a virtual authenticator', () => {
  let app: ExampleApp;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId = '';
  /** The page's origin: `localhost`, the RP ID the app is configured with (WebAuthn refuses another host). */
  let origin = '';
  const demo = new DemoPage('the passkey journey', { prefix: 'passkey-' });
  const { pageErrors, region, screenshot, statusSays } = demo;

  const username = newUsername('passkey');
  const phone = uniquePhone();
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  const label = 'Test laptop';

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    app = await startExampleApp({
      database: 'sqlite',
      env: {
        PORT: String(port),
        TWO_FACTOR_PASSKEY_RP_ID: 'localhost',
        TWO_FACTOR_PASSKEY_ORIGINS: origin,
        TWO_FACTOR_PASSKEY_USER_VERIFICATION: 'required',
      },
    });
    page = await demo.open();
    // A platform authenticator that holds discoverable credentials and verifies the user
    // (as Touch ID or Windows Hello would) without a prompt.
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    authenticatorId = added.authenticatorId;
  });

  afterAll(async () => {
    await demo.close();
    await app?.stop();
  });

  async function credentials(): Promise<VirtualCredential[]> {
    const { credentials: held } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return held as VirtualCredential[];
  }

  const signOut = () => demo.signOut(username);
  const expectSignedIn = () => demo.expectSignedIn(username);

  it('should sign up with a phone number on the page served at localhost', async () => {
    await page.goto(`${origin}/demo/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await demo.startPhoneSignUp({ username, phone, password });
    await statusSays('Code sent.');
    await page.keyboard.type(await app.sms.lastCode(phone));
    await page.keyboard.press('Enter');
    await expectSignedIn();
    await screenshot('signed-up');
  });

  it('should add a passkey with its name, after a fresh SMS code', async () => {
    const section = region('Passkeys');
    await section.getByRole('textbox', { name: 'Name for the new passkey' }).fill(label);
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    // The phone is already a factor: adding another needs a fresh code from it.
    const confirm = region('Confirm it’s you');
    await confirm.getByText('To add a passkey, confirm it’s you first.').waitFor();
    await confirm.getByRole('radio', { name: 'Text message' }).check();
    await demo.typeFreshSmsCode(app, phone, confirm);
    await screenshot('add-passkey-confirm');
    await confirm.getByRole('button', { name: 'Continue', exact: true }).click();
    await statusSays(`Passkey “${label}” added. You can sign in with it now.`);

    const factors = region(`Signed in as ${username}`).getByRole('list');
    await factors.getByText(`Passkey “${label}”`).waitFor({ state: 'visible' });
    // The authenticator made one discoverable credential for this site and this user.
    const held = await credentials();
    expect(held).toHaveLength(1);
    expect(held[0]?.rpId).toBe('localhost');
    expect(held[0]?.isResidentCredential).toBe(true);
    await screenshot('passkey-added');
  });

  it('should sign in with the password and the passkey as the second step', async () => {
    await signOut();
    const countBefore = (await credentials())[0]?.signCount ?? 0;
    const smsBefore = (await app.sms.messages(phone)).length;
    const signIn = await demo.submitPassword({ username, password });
    const usePasskey = signIn.getByRole('button', { name: 'Use a passkey' });
    await usePasskey.waitFor({ state: 'visible' });
    await screenshot('challenge-offers-passkey');
    await usePasskey.click();
    await expectSignedIn();
    await statusSays('Signed in with your password and a passkey.');
    // The authenticator signed once more; a challenge whose preferred method was SMS may have texted.
    expect((await credentials())[0]?.signCount).toBeGreaterThan(countBefore);
    expect((await app.sms.messages(phone)).length - smsBefore).toBeLessThanOrEqual(1);
    await screenshot('signed-in-password-and-passkey');
  });

  it('should sign in with the passkey alone, no username or password typed', async () => {
    await signOut();
    const countBefore = (await credentials())[0]?.signCount ?? 0;
    const signIn = region('Sign in');
    // Nothing typed: the passkey names the account (a discoverable credential's user handle).
    await signIn.getByRole('textbox', { name: 'Username or email' }).fill('');
    await screenshot('before-passwordless');
    await signIn.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expectSignedIn();
    await statusSays('Signed in with a passkey.');
    expect((await credentials())[0]?.signCount).toBeGreaterThan(countBefore);
    // The factor list shows when the passkey was last used.
    const factors = region(`Signed in as ${username}`).getByRole('list');
    await factors
      .getByRole('listitem')
      .filter({ hasText: `Passkey “${label}”` })
      .getByText(/last used/)
      .waitFor();
    await screenshot('signed-in-passkey-only');
  });

  it('should remove the phone after confirming with the passkey, nothing typed', async () => {
    const countBefore = (await credentials())[0]?.signCount ?? 0;
    const account = region(`Signed in as ${username}`);
    await account.getByRole('button', { name: /^Remove text messages to / }).click();
    const confirm = region('Confirm it’s you');
    // The passkey comes first: nothing to type, nothing to send.
    expect(await confirm.getByRole('radio', { name: 'Passkey' }).isChecked()).toBe(true);
    expect(await confirm.getByRole('textbox').isVisible()).toBe(false);
    await screenshot('confirm-with-passkey');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await statusSays('Removed: text messages to');
    await account
      .getByRole('list')
      .getByText(/^Text messages to/)
      .waitFor({ state: 'detached' });
    await account.getByRole('list').getByText(`Passkey “${label}”`).waitFor();
    expect((await credentials())[0]?.signCount).toBeGreaterThan(countBefore);
    await screenshot('phone-removed');
    expect(pageErrors).toEqual([]);
  });
});
