import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, uniquePhone } from '../support/twoFactor';
import { DemoPage } from './support/demoPage';
import { shouldRunJourney } from './support/headlessChromium';

const runJourney = shouldRunJourney('the demo step-up journey');

type SignedUpUser = Awaited<ReturnType<typeof signUp>>;

describe.skipIf(!runJourney)('the demo page’s sensitive action, stepped up in headless Chromium', () => {
  let app: ExampleApp;
  let page: Page;
  const demo = new DemoPage('the demo step-up journey', { prefix: 'step-up-', numbered: false });
  const { pageErrors, region, screenshot, statusSays } = demo;
  /** Signed up with a password and no factor: the page signs in with the password alone. */
  let user: SignedUpUser;
  const phone = uniquePhone();
  /** Every answer of the guarded route, as the browser got it. */
  const securePingStatuses: number[] = [];

  beforeAll(async () => {
    // The example app's default jwt mode: refresh sessions, http-only cookie.
    app = await startExampleApp({ database: 'sqlite' });
    user = await signUp(app, 'stepup');
    page = await demo.open();
    page.on('response', (response) => {
      if (response.url().endsWith('/api/example/secure-ping')) securePingStatuses.push(response.status());
    });
  });

  afterAll(async () => {
    await demo.close();
    await app?.stop();
  });

  const sensitive = (): Locator => region('Sensitive action');

  async function runSensitiveAction(): Promise<void> {
    await sensitive().getByRole('button', { name: 'Run it' }).click();
  }

  /** The guarded route's answer as the page shows it. */
  async function shownAnswer(): Promise<Record<string, unknown>> {
    const result = sensitive().locator('pre');
    await result.waitFor({ state: 'visible' });
    return JSON.parse((await result.textContent()) ?? '') as Record<string, unknown>;
  }

  it('should sign in with the password alone', async () => {
    await page.goto(`${app.url}/demo/`);
    await demo.submitPassword(user);
    await page.getByRole('heading', { name: `Signed in as ${user.username}` }).waitFor({ state: 'visible' });
  });

  it('should refuse the sensitive action to an account with no second factor, and say why', async () => {
    await runSensitiveAction();
    await statusSays('This action needs a second step, and your account has none yet');
    expect(securePingStatuses).toEqual([403]);
    expect(await region('Confirm it’s you').isVisible()).toBe(false);
    await screenshot('no-factor');
  });

  it('should add a phone in this session, which stays a password-only one', async () => {
    const section = region('Phone');
    await section.getByRole('textbox', { name: 'Phone number for text-message codes' }).fill(phone);
    await section.getByRole('button', { name: 'Text me a code' }).click();
    await section.getByRole('textbox', { name: 'Code from the text message' }).waitFor({ state: 'visible' });
    await page.keyboard.type(await app.sms.lastCode(phone));
    await page.keyboard.press('Enter');
    await statusSays('Phone added.');
  });

  it('should ask a password-only session to step up, with the methods the server named', async () => {
    await runSensitiveAction();
    await statusSays('This action needs a recent second step');
    expect(securePingStatuses).toEqual([403, 403]);
    const confirm = region('Confirm it’s you');
    await confirm.getByText('This action needs a second step proven in the last 15 minutes.').waitFor();
    // details.methods: the new phone and the recovery codes its activation made.
    const radios = await confirm
      .getByRole('radio')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(radios).toEqual(['sms', 'recovery_code']);
    expect(await confirm.getByRole('radio', { name: 'Text message' }).isChecked()).toBe(true);
    await screenshot('asked');
  });

  it('should run the action after a fresh SMS code raised the session to AAL2', async () => {
    const confirm = region('Confirm it’s you');
    await demo.typeFreshSmsCode(app, phone, confirm);
    await screenshot('code');
    await confirm.getByRole('button', { name: 'Confirm and run' }).click();
    await statusSays('Done: the server accepted this session (AAL2).');
    expect(await shownAnswer()).toEqual({ ok: true, aal: 2, amr: ['pwd', 'sms', 'mfa'] });
    expect(securePingStatuses).toEqual([403, 403, 200]);
    await confirm.waitFor({ state: 'hidden' });
    await screenshot('done');
  });

  it('should run it again after a reload, without a new sign-in or code', async () => {
    // The reload keeps nothing but the http-only cookie: the refreshed session kept its raise.
    await page.reload();
    await page.getByRole('heading', { name: `Signed in as ${user.username}` }).waitFor({ state: 'visible' });
    await runSensitiveAction();
    await statusSays('Done: the server accepted this session (AAL2).');
    expect(await shownAnswer()).toMatchObject({ ok: true, aal: 2 });
    expect(securePingStatuses).toEqual([403, 403, 200, 200]);
    expect(await region('Confirm it’s you').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
