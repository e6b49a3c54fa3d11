import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUsername } from '../support/phoneSignUp';
import { authenticatorCode, moveToMidStep, pluginStep } from '../support/totp';
import { uniquePhone, waitForSms } from '../support/twoFactor';
import { DemoPage } from './support/demoPage';
import { REPOSITORY, SCREENSHOTS, shouldRunJourney } from './support/headlessChromium';

/** The README's picture, rewritten only when asked: `UPDATE_SCREENSHOTS=1`. */
const README_SCREENSHOT = path.join(REPOSITORY, 'docs', 'demo.png');
const RECOVERY_CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

const runJourney = shouldRunJourney('the demo journey');

describe.skipIf(!runJourney)('the demo page, walked in headless Chromium', () => {
  let app: ExampleApp;
  let page: Page;
  const demo = new DemoPage('the demo journey');
  const { pageErrors, region, screenshot, statusSays } = demo;

  const username = newUsername('demo');
  const phone = uniquePhone();
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  /** The authenticator app's key, as the page shows it. */
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    app = await startExampleApp({ database: 'sqlite' });
    page = await demo.open({ acceptDownloads: true });
  });

  afterAll(async () => {
    await demo.close();
    await app?.stop();
  });

  const signOut = () => demo.signOut(username);
  const expectSignedIn = () => demo.expectSignedIn(username);

  /** Step 1 on the page: username and password, then the challenge's choices. */
  async function enterPassword(): Promise<Locator> {
    const signIn = await demo.submitPassword({ username, password });
    await signIn.getByRole('button', { name: 'Verify' }).waitFor({ state: 'visible' });
    return signIn;
  }

  it('should be served by the app itself at /demo/', async () => {
    const response = await fetch(`${app.url}/demo/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    await page.goto(`${app.url}/demo/`);
    await page.getByRole('heading', { name: 'Two-step verification demo' }).waitFor({ state: 'visible' });
    await page.getByRole('link', { name: 'Twilio dev server’s outbox' }).waitFor({ state: 'visible' });
    await screenshot('signed-out');
  });

  it('should sign up with a phone number and the code texted to it', async () => {
    const signUp = await demo.startPhoneSignUp({ username, phone, password });
    const sentTo = `+1 ••• ••• ${phone.slice(-4)}`;
    await signUp.getByText(`We sent a code to ${sentTo}.`).waitFor({ state: 'visible' });
    await statusSays('Code sent.');
    // The resend button counts down to the server's resendAvailableAt.
    await signUp.getByRole('button', { name: /^Send a new code in \d+ s$/ }).waitFor({ state: 'visible' });
    await screenshot('sign-up-code');

    // The SMS went through the app's Twilio client to the Twilio-compatible server.
    const code = await app.sms.lastCode(phone);
    // Focus moved to the code field: typing and Enter need no click.
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await expectSignedIn();
    await statusSays('Your number is confirmed and your account is ready.');
    await page.getByText(`Text messages to ${sentTo}`).waitFor({ state: 'visible' });
    await screenshot('signed-up');
  });

  it('should sign out', async () => {
    await signOut();
    await screenshot('signed-out-again');
  });

  it('should sign in with the password and a code sent by SMS', async () => {
    const before = (await app.sms.messages(phone)).length;
    const signIn = await enterPassword();
    await statusSays('We sent a code to');
    await waitForSms(app, phone, before + 1);
    const code = await app.sms.lastCode(phone);
    // The phone and the recovery codes of the sign-up: SMS is chosen, its code field ready.
    await signIn.getByRole('textbox', { name: 'Code from the text message' }).waitFor({ state: 'visible' });
    expect(await signIn.getByRole('radio', { name: 'Text message' }).isChecked()).toBe(true);
    await page.keyboard.type(code);
    await screenshot('sign-in-sms-code');
    await signIn.getByRole('button', { name: 'Verify' }).click();
    await expectSignedIn();
    await statusSays('Signed in.');
  });

  it('should add an authenticator app, after a fresh SMS code, from the key shown beside the QR code', async () => {
    const section = region('Authenticator app');
    await section.getByRole('button', { name: 'Set up an authenticator app' }).click();
    // The phone is already a factor: adding another needs a fresh code from it.
    const confirm = region('Confirm it’s you');
    await confirm.getByText('To add an authenticator app, confirm it’s you with a fresh code.').waitFor();
    await confirm.getByRole('radio', { name: 'Text message' }).check();
    await demo.typeFreshSmsCode(app, phone, confirm);
    await confirm.getByRole('button', { name: 'Continue', exact: true }).click();
    const qrCode = section.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await qrCode.waitFor({ state: 'visible' });
    expect(await qrCode.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
    const keyShown = section.getByRole('listitem').filter({ hasText: 'Can’t scan it?' }).locator('code');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as rendered, as a person reads it.
    const shownKey = await keyShown.innerText();
    secret = shownKey.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot('authenticator-setup');

    // What the app would show now; the plugin's clock sits mid-step so the code stays valid.
    moveToMidStep(app);
    await page.keyboard.type(authenticatorCode(secret, pluginStep(app)));
    await section.getByRole('button', { name: 'Turn on' }).click();
    await statusSays('Authenticator app added.');
    const factors = region(`Signed in as ${username}`).getByRole('list');
    await factors.getByText('Authenticator app').waitFor({ state: 'visible' });
    await screenshot('authenticator-added');
  });

  it('should show the recovery codes and download them as a .txt file', async () => {
    const recovery = region('Recovery codes');
    // The codes phone/verify showed at sign-up are gone from the page since signing out:
    // make new ones with a fresh code from the app (the old ones stop working).
    if (!(await recovery.getByText('Save these codes now: they are shown only once.').isVisible())) {
      await recovery.getByRole('button', { name: /^Make (new )?recovery codes$/ }).click();
      const confirm = region('Confirm it’s you');
      await confirm.waitFor({ state: 'visible' });
      expect(await confirm.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
      moveToMidStep(app, 1);
      await confirm
        .getByRole('textbox', { name: 'Code from your authenticator app' })
        .fill(authenticatorCode(secret, pluginStep(app)));
      await confirm.getByRole('button', { name: 'Make codes' }).click();
    }
    await recovery.getByText('Save these codes now: they are shown only once.').waitFor({ state: 'visible' });
    recoveryCodes = (await recovery.getByRole('listitem').allInnerTexts()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(RECOVERY_CODE);
    await recovery.getByText('You have 10 unused recovery codes.').waitFor({ state: 'visible' });

    const downloading = page.waitForEvent('download');
    await recovery.getByRole('link', { name: 'Download as .txt' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('recovery-codes.txt');
    const file = path.join(SCREENSHOTS, 'recovery-codes.txt');
    await download.saveAs(file);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`Recovery codes for ${username}`);
    expect(text.split('\n').filter((line) => RECOVERY_CODE.test(line))).toEqual(recoveryCodes);
    await screenshot('recovery-codes');
  });

  it('should sign in with the authenticator app', async () => {
    await signOut();
    const signIn = await enterPassword();
    await signIn.getByRole('radio', { name: 'Authenticator app' }).check();
    moveToMidStep(app, 1);
    await signIn
      .getByRole('textbox', { name: 'Code from your authenticator app' })
      .fill(authenticatorCode(secret, pluginStep(app)));
    await screenshot('sign-in-authenticator');
    await signIn.getByRole('button', { name: 'Verify' }).click();
    await expectSignedIn();
    await statusSays('Signed in.');
  });

  it('should sign in with a recovery code, which is then used up', async () => {
    await signOut();
    const signIn = await enterPassword();
    await signIn.getByRole('radio', { name: 'Recovery code' }).check();
    await signIn.getByRole('textbox', { name: 'Recovery code' }).fill(recoveryCodes[0] ?? '');
    await screenshot('sign-in-recovery-code');
    await signIn.getByRole('button', { name: 'Verify' }).click();
    await expectSignedIn();
    await statusSays('Signed in with a recovery code. That code is now used up.');
    await region('Recovery codes').getByText('You have 9 unused recovery codes.').waitFor({ state: 'visible' });
  });

  it('should remove the authenticator app with a fresh code sent by SMS', async () => {
    const account = region(`Signed in as ${username}`);
    await account.getByRole('button', { name: 'Remove authenticator app' }).click();
    const confirm = region('Confirm it’s you');
    await confirm.getByText('To remove the authenticator app, confirm it’s you with a fresh code.').waitFor();
    await confirm.getByRole('radio', { name: 'Text message' }).check();
    await demo.typeFreshSmsCode(app, phone, confirm);
    await screenshot('remove-authenticator');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await statusSays('Removed: the authenticator app.');
    await account.getByRole('list').getByText('Authenticator app').waitFor({ state: 'detached' });
    await region('Authenticator app').getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
    await screenshot('authenticator-removed');

    expect(pageErrors).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(path.dirname(README_SCREENSHOT), { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: README_SCREENSHOT });
    }
  });
});
