import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminEventRow,
  type Page as ApiPage,
  createAdmin,
  createAdminRole,
  failSecondSteps,
  MAX_CONSECUTIVE_FAILURES,
  type SettingsBody,
  superAdminRole,
  type TestAdmin,
} from '../support/adminApi';
import { enrolTotp } from '../support/totpEnrolment';
import { enrolSms, signUp } from '../support/twoFactor';
import { launchChromium, REPOSITORY, SCREENSHOTS, shouldRunJourney } from './support/headlessChromium';

/** The README's pictures, rewritten only when asked: `UPDATE_SCREENSHOTS=1`. */
const README_SCREENSHOTS = path.join(REPOSITORY, 'docs');
/** Toasts linger for seconds over the header, and a clicked menu icon keeps its tooltip: neither belongs in a picture. */
const HIDE_TRANSIENTS = [
  'section[aria-label^="Notifications"] { display: none !important; }',
  '[data-radix-popper-content-wrapper]:has([role="tooltip"]) { display: none !important; }',
].join('\n');

const runJourney = shouldRunJourney('the admin panel journey');

type SignedUpUser = Awaited<ReturnType<typeof signUp>>;

describe.skipIf(!runJourney)('the admin panel, walked in headless Chromium', () => {
  let app: ExampleApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let admin: TestAdmin;
  /** Two factors. */
  let alice: SignedUpUser;
  /** An SMS factor, and locked out. */
  let bob: SignedUpUser;
  /** No factor yet. */
  let carol: SignedUpUser;

  beforeAll(async () => {
    app = await startExampleApp({ database: 'sqlite', env: { SERVE_ADMIN_PANEL: 'true' } });
    admin = await createAdmin(app, await superAdminRole(app));

    alice = await signUp(app, 'alice');
    await enrolSms(app, alice.jwt);
    await enrolTotp(app, alice.jwt);
    bob = await signUp(app, 'bob');
    await enrolSms(app, bob.jwt);
    await failSecondSteps(app, bob.id, MAX_CONSECUTIVE_FAILURES);
    carol = await signUp(app, 'carol');

    browser = await launchChromium('the admin panel journey');
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Strapi's admin scrolls inside its layout: a taller window shows a long page whole. */
  async function screenshot(name: string, readmeName?: string, height = 900): Promise<void> {
    const file = path.join(SCREENSHOTS, `admin-${name}.png`);
    await page.setViewportSize({ width: 1440, height });
    await page.screenshot({ path: file, fullPage: true, style: HIDE_TRANSIENTS });
    await page.setViewportSize({ width: 1440, height: 900 });
    if (readmeName !== undefined && process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(README_SCREENSHOTS, { recursive: true });
      await copyFile(file, path.join(README_SCREENSHOTS, readmeName));
    }
  }

  async function signIn(on: Page, who: TestAdmin): Promise<void> {
    await on.goto(`${app.url}/admin/auth/login`);
    // The labels carry a required-field star: the inputs' names are steadier.
    await on.locator('input[name="email"]').fill(who.email);
    await on.locator('input[name="password"]').fill(who.password);
    await on.getByRole('button', { name: 'Login' }).click();
  }

  async function notification(text: string | RegExp): Promise<void> {
    await page.getByText(text).first().waitFor({ state: 'visible' });
  }

  const adminGet = async <Body>(pathname: string): Promise<Body> => {
    const response = await app.http.get<Body>(pathname, { jwt: admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('should sign an admin in through the login page', async () => {
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Two-factor' }).waitFor({ state: 'visible' });
    // Strapi's own announcement banner, if this version shows one.
    const closeBanner = page.getByRole('button', { name: /^Close the banner/ });
    if (await closeBanner.isVisible()) await closeBanner.click();
    await screenshot('home');
  });

  it('should list the policy page under Settings, in a Two-factor section', async () => {
    await page.goto(`${app.url}/admin/settings`);
    await page.getByText('Two-factor', { exact: true }).first().waitFor({ state: 'visible' });
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByRole('heading', { name: 'Two-factor policy' }).waitFor({ state: 'visible' });
    await page.getByRole('checkbox', { name: 'Authenticated' }).waitFor({ state: 'visible' });
  });

  it('should show a live SMS preview and refuse values out of bounds', async () => {
    const template = page.getByRole('textbox', { name: 'Template' });
    await template.fill('{code} is your {appName} code. Valid {minutes} min.');
    await page.getByTestId('sms-preview').getByText('123456 is your Example code. Valid 5 min.').waitFor();

    const lifetime = page.getByRole('textbox', { name: 'Code lifetime (seconds)' });
    await lifetime.fill('900');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Between 60 and 600.').waitFor({ state: 'visible' });
    await screenshot('settings-invalid');
    await lifetime.fill('300');
    await page.getByText('Between 60 and 600.').waitFor({ state: 'detached' });
  });

  it('should make two-step verification required for the Authenticated role', async () => {
    await page.getByRole('checkbox', { name: 'Authenticated' }).click();
    expect(await page.getByRole('checkbox', { name: 'Authenticated' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('button', { name: 'Save' }).click();
    await notification('Saved');
    await screenshot('settings', 'admin-settings.png', 1180);

    const { policy } = await adminGet<SettingsBody>('/two-factor/settings');
    expect(policy.requiredRoles).toEqual(['authenticated']);
    expect(policy.smsTemplate).toBe('{code} is your {appName} code. Valid {minutes} min.');
  });

  it('should send a user without a factor to enrolment at sign-in from then on', async () => {
    const login = await app.http.post<{ mfaEnrollmentRequired?: boolean; jwt?: string }>('/api/auth/local', {
      identifier: carol.username,
      password: carol.password,
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.mfaEnrollmentRequired).toBe(true);
    expect(login.body.jwt).toBeUndefined();
  });

  it('should list the users with their methods and lock state', async () => {
    await page.getByRole('link', { name: 'Two-factor' }).first().click();
    await page.getByRole('tab', { name: 'Users' }).waitFor({ state: 'visible' });
    const aliceRow = page.getByTestId(`user-row-${alice.id}`);
    await aliceRow.getByText('SMS').waitFor();
    await aliceRow.getByText('Authenticator app').waitFor();
    await page
      .getByTestId(`user-row-${bob.id}`)
      .getByText(/^Locked until/)
      .waitFor();
    await page.getByTestId(`user-row-${carol.id}`).getByText('Not enrolled').waitFor();
    await screenshot('users', 'admin-users.png');
  });

  it('should unlock a locked user', async () => {
    const bobRow = page.getByTestId(`user-row-${bob.id}`);
    await bobRow.getByRole('button', { name: 'Unlock' }).click();
    await notification(`${bob.username} is unlocked`);
    await bobRow.getByText('Protected').waitFor();
    const state = await app.strapi.db.query('plugin::two-factor.account-state').findOne({ where: { userId: bob.id } });
    expect(state?.lockedUntil ?? null).toBeNull();
  });

  it('should find a user by search and reset them after a confirmation', async () => {
    await page.getByPlaceholder('Search by username, email or id').fill(alice.username);
    await page.getByTestId(`user-row-${bob.id}`).waitFor({ state: 'detached' });
    const aliceRow = page.getByTestId(`user-row-${alice.id}`);
    await aliceRow.getByRole('button', { name: 'Reset' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Reset two-step verification?').waitFor();
    await screenshot('reset-dialog');
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await notification(`Two-step verification reset for ${alice.username}`);
    await aliceRow.getByText('None').waitFor();
    expect(await app.strapi.db.query('plugin::two-factor.factor').count({ where: { userId: alice.id } })).toBe(0);
  });

  it('should read the audit log, newest first, and filter it by type', async () => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.waitForURL(/\/admin\/plugins\/two-factor\/audit-log$/);
    const rows = page.getByTestId('event-row');
    await rows.first().getByText('factors.reset').waitFor();
    await page.getByRole('row').filter({ hasText: 'account.unlocked' }).getByText(admin.email).waitFor();
    await screenshot('audit-log', 'admin-audit-log.png');

    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'policy.changed' }).click();
    await rows.first().getByText('policy.changed').waitFor();
    await page.getByRole('row').filter({ hasText: 'factors.reset' }).waitFor({ state: 'detached' });
    const shown = await rows.count();
    const { results } = await adminGet<ApiPage<AdminEventRow>>('/two-factor/events?type=policy.changed');
    expect(shown).toBe(results.length);

    await page.getByLabel('User id').fill(String(alice.id));
    await page.getByText('No event matches.').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('should hide Reset and Unlock, and the policy page, from an admin who may only read', async () => {
    const reader = await createAdmin(app, await createAdminRole(app, ['plugin::two-factor.read']));
    const readerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const readerPage = await readerContext.newPage();
    try {
      await signIn(readerPage, reader);
      await readerPage.getByRole('link', { name: 'Two-factor' }).first().click();
      await readerPage.getByTestId(`user-row-${bob.id}`).waitFor();
      expect(await readerPage.getByRole('button', { name: 'Reset' }).count()).toBe(0);
      expect(await readerPage.getByRole('button', { name: 'Unlock' }).count()).toBe(0);
      await readerPage.goto(`${app.url}/admin/settings/two-factor`);
      await readerPage.getByText("You don't have the permissions to access that content").waitFor();
    } finally {
      await readerContext.close();
    }
  });
});
