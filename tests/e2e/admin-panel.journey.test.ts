import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { Browser, Page } from 'playwright-core';
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
import { signInWithSms } from '../support/assurance';

import {
  authenticatorFor,
  passwordlessOptions,
  passwordlessVerify,
  registerPasskey,
} from '../support/passkeyEnrolment';
import { enrolTotp } from '../support/totpEnrolment';
import { enrolSms, loginChallenge, signUp, smsReauthentication } from '../support/twoFactor';
import { cookieHeader } from '../support/users';
import { ADMIN_PAGE_OPTIONS, openPage, REPOSITORY, SCREENSHOTS, shouldRunJourney } from './support/headlessChromium';

/** The README's pictures, rewritten only when asked: `UPDATE_SCREENSHOTS=1`. */
const README_SCREENSHOTS = path.join(REPOSITORY, 'docs');
/** Toasts linger for seconds over the header, and a clicked menu icon keeps its tooltip: neither belongs in a picture. */
const HIDE_TRANSIENTS = [
  'section[aria-label^="Notifications"] { display: none !important; }',
  '[data-radix-popper-content-wrapper]:has([role="tooltip"]) { display: none !important; }',
].join('\n');

const runJourney = shouldRunJourney('the admin panel journey');

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Text colors of Strapi's design system (light theme): warning700 and success700. */
const WARNING_700 = 'rgb(190, 93, 1)';
const SUCCESS_700 = 'rgb(47, 104, 70)';

type SignedUpUser = Awaited<ReturnType<typeof signUp>>;

describe.skipIf(!runJourney)('the admin panel, walked in headless Chromium', () => {
  let app: ExampleApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let admin: TestAdmin;
  /** Two factors. */
  let alice: SignedUpUser;
  /** An SMS factor, and locked out. */
  let bob: SignedUpUser;
  let bobPhone: string;
  /** No factor yet. */
  let carol: SignedUpUser;
  /** An SMS factor and one wrong code, short of a lock-out. */
  let dave: SignedUpUser;
  /** A synced passkey, named and used once to sign in without a password. */
  let erin: SignedUpUser;

  /** Signs the journey's users up; the Users tab is first seen without any. */
  async function signUpUsers(): Promise<void> {
    alice = await signUp(app, 'alice');
    const { phone: alicePhone } = await enrolSms(app, alice.jwt);
    // The app next to her phone: adding it needs a fresh code from the phone.
    await enrolTotp(app, alice.jwt, await smsReauthentication(app, alice.jwt, alicePhone));
    bob = await signUp(app, 'bob');
    bobPhone = (await enrolSms(app, bob.jwt)).phone;
    await failSecondSteps(app, bob.id, MAX_CONSECUTIVE_FAILURES);
    carol = await signUp(app, 'carol');
    dave = await signUp(app, 'dave');
    await enrolSms(app, dave.jwt);
    await failSecondSteps(app, dave.id, 1);
    erin = await signUp(app, 'erin');
    const erinsPhone = authenticatorFor(app, { backedUp: true });
    const added = await registerPasskey(app, erin.jwt, erinsPhone, { label: 'Erin’s phone' });
    expect(added.activate.status, JSON.stringify(added.activate.body)).toBe(200);
    const { token, options } = await passwordlessOptions(app);
    const signedIn = await passwordlessVerify(app, token, erinsPhone.assert(options));
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  }

  beforeAll(async () => {
    app = await startExampleApp({ database: 'sqlite', env: { SERVE_ADMIN_PANEL: 'true' } });
    admin = await createAdmin(app, await superAdminRole(app));

    ({ browser, page } = await openPage('the admin panel journey', { ...ADMIN_PAGE_OPTIONS, pageErrors }));
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

  it('should say there are no users yet, and no match for a search, before anyone signed up', async () => {
    try {
      await page.getByRole('link', { name: 'Two-factor' }).first().click();
      await page.getByRole('tab', { name: 'Users' }).waitFor({ state: 'visible' });
      await page.getByText('No users yet.').waitFor();
      expect(await page.getByText('No user matches.').count()).toBe(0);
      await page.getByPlaceholder('Search by username, email or id').fill('nobody');
      await page.getByText('No user matches.').waitFor();
      expect(await page.getByText('No users yet.').count()).toBe(0);
      await page.getByPlaceholder('Search by username, email or id').fill('');
      await page.getByText('No users yet.').waitFor();
    } finally {
      // The rest of the journey needs its users even when this check fails.
      await signUpUsers();
    }
  });

  it('should list the policy page under Settings, in a Two-factor section', async () => {
    await page.goto(`${app.url}/admin/settings`);
    await page.getByText('Two-factor', { exact: true }).first().waitFor({ state: 'visible' });
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByRole('heading', { name: 'Two-factor policy' }).waitFor({ state: 'visible' });
    await page.getByRole('checkbox', { name: 'Authenticated' }).waitFor({ state: 'visible' });
  });

  it('should not offer the Public role, nor email codes by default without an email provider', async () => {
    expect(await page.getByRole('checkbox', { name: 'Public' }).count()).toBe(0);
    const email = page.getByRole('checkbox', { name: 'Email code' });
    expect(await email.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByRole('checkbox', { name: 'SMS code' }).getAttribute('aria-checked')).toBe('true');
    await page.getByText('No email provider is configured: email codes would not arrive.').waitFor();
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

  it('should list the users with their methods, recovery codes left and lock state', async () => {
    await page.getByRole('link', { name: 'Two-factor' }).first().click();
    await page.getByRole('tab', { name: 'Users' }).waitFor({ state: 'visible' });
    // The design system's table is a grid whose headings are grid cells in <thead>.
    await page.locator('thead').getByText('Recovery codes', { exact: true }).waitFor();
    const aliceRow = page.getByTestId(`user-row-${alice.id}`);
    await aliceRow.getByText('SMS').waitFor();
    await aliceRow.getByText('Authenticator app').waitFor();
    expect(await aliceRow.getByTestId('recovery-codes-left').textContent()).toBe('10 left');
    await page
      .getByTestId(`user-row-${bob.id}`)
      .getByText(/^Locked until/)
      .waitFor();
    const carolRow = page.getByTestId(`user-row-${carol.id}`);
    await carolRow.getByText('Not enrolled').waitFor();
    expect(await carolRow.getByTestId('recovery-codes-left').textContent()).toBe('—');
    await screenshot('users', 'admin-users.png');
  });

  it('should show a user’s passkeys with their name, whether they are synced, and their last use', async () => {
    const erinRow = page.getByTestId(`user-row-${erin.id}`);
    await erinRow.getByText('Passkey', { exact: true }).waitFor();
    const passkey = erinRow.getByTestId('passkey');
    await passkey.getByText('Erin’s phone', { exact: true }).waitFor();
    await passkey.getByText('Synced (backed up)', { exact: true }).waitFor();
    await passkey.getByText(/^Last used /).waitFor();
    expect(await page.getByTestId(`user-row-${alice.id}`).getByTestId('passkey').count()).toBe(0);
    await screenshot('users-passkeys');
  });

  it('should show one failed attempt in the singular, as a warning rather than a success', async () => {
    const daveRow = page.getByTestId(`user-row-${dave.id}`);
    const failures = daveRow.getByText('1 failed attempt', { exact: true });
    await failures.waitFor();
    expect(await daveRow.getByText('Protected').count()).toBe(0);
    // The design system's warning700 and success700, as the badge's text color.
    const color = await failures.evaluate((element) => getComputedStyle(element).color);
    expect(color).toBe(WARNING_700);
    expect(color).not.toBe(SUCCESS_700);
  });

  it('should unlock a locked user', async () => {
    const bobRow = page.getByTestId(`user-row-${bob.id}`);
    await bobRow.getByRole('button', { name: 'Unlock' }).click();
    await notification(`${bob.username} is unlocked`);
    await bobRow.getByText('Protected').waitFor();
    const state = await app.strapi.db.query('plugin::two-factor.account-state').findOne({ where: { userId: bob.id } });
    expect(state?.lockedUntil ?? null).toBeNull();
  });

  it('should list a user’s sessions and end them all after a confirmation', async () => {
    // Bob's sign-up session (password only), and now password + SMS from a browser.
    const { token, code } = await loginChallenge(app, { ...bob, phone: bobPhone });
    const signedIn = await app.http.post(
      '/api/two-factor/challenge/verify',
      { token, method: 'sms', code },
      { headers: { 'user-agent': FIREFOX_ON_LINUX } },
    );
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    const bobRow = page.getByTestId(`user-row-${bob.id}`);
    await bobRow.getByRole('button', { name: 'Sessions' }).click();
    const dialog = page.getByRole('dialog', { name: `Sessions of ${bob.username}` });
    const rows = dialog.getByTestId('user-session-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect((await dialog.getByTestId('user-session-amr').allTextContents()).sort()).toEqual(['pwd', 'pwd + sms + mfa']);
    await dialog.getByText('Firefox on Linux').waitFor();
    await dialog.getByText('AAL2').waitFor();
    await screenshot('sessions-dialog');
    await dialog.getByRole('button', { name: 'End all sessions' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('End every session?').waitFor();
    // The confirmation fades in over the list: a picture taken mid-fade shows both half-drawn.
    await confirm.evaluate((element) =>
      Promise.all(element.getAnimations({ subtree: true }).map((run) => run.finished)),
    );
    await screenshot('sessions-end-confirm');
    await confirm.getByRole('button', { name: 'End all sessions' }).click();
    await notification(`2 sessions of ${bob.username} ended`);
    await dialog.getByText(`${bob.username} is signed in nowhere.`).waitFor();
    await screenshot('sessions-ended');
    const refreshed = await app.http.post('/api/auth/refresh', {}, { cookie: cookieHeader(signedIn.setCookies) });
    expect(refreshed.status).toBe(401);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
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
    await rows.first().getByText('Two-step verification reset by an admin').waitFor();
    await page.getByRole('row').filter({ hasText: 'Unlocked by an admin' }).getByText(admin.email).waitFor();
    await page.getByRole('row').filter({ hasText: 'Added a sign-in method' }).first().waitFor();
    // Words, never the raw event names the server stores.
    expect(await page.getByRole('grid').textContent()).not.toMatch(/factors\.reset|account\.unlocked|sign-in\./);
    await screenshot('audit-log', 'admin-audit-log.png');

    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'Entered a wrong code' }).waitFor();
    await page.getByRole('option', { name: 'Changed the two-step policy' }).click();
    await rows.first().getByText('Changed the two-step policy').waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Two-step verification reset by an admin' })
      .waitFor({ state: 'detached' });
    const shown = await rows.count();
    const { results } = await adminGet<ApiPage<AdminEventRow>>('/two-factor/events?type=policy.changed');
    expect(shown).toBe(results.length);

    await page.getByLabel('User id').fill(String(alice.id));
    await page.getByText('No event matches.').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('should show an admin who may only read the sessions, without the ending', async () => {
    const reader = await createAdmin(app, await createAdminRole(app, ['plugin::two-factor.read']));
    const readerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const readerPage = await readerContext.newPage();
    try {
      await signInWithSms(app, { ...bob, phone: bobPhone });
      await signIn(readerPage, reader);
      await readerPage.getByRole('link', { name: 'Two-factor' }).first().click();
      await readerPage.getByTestId(`user-row-${bob.id}`).getByRole('button', { name: 'Sessions' }).click();
      const dialog = readerPage.getByRole('dialog', { name: `Sessions of ${bob.username}` });
      await dialog.getByTestId('user-session-row').first().waitFor();
      expect(await dialog.getByRole('button', { name: 'End all sessions' }).count()).toBe(0);
    } finally {
      await readerContext.close();
    }
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
