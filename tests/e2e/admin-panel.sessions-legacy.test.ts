import path from 'node:path';
import { type ExampleApp, startExampleApp } from '@strapi-two-factor/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, superAdminRole, type TestAdmin } from '../support/adminApi';
import { signUp } from '../support/twoFactor';
import { ADMIN_PAGE_OPTIONS, openPage, SCREENSHOTS, shouldRunJourney } from './support/headlessChromium';

const runJourney = shouldRunJourney('the admin panel’s sessions in legacy-support mode');

describe.skipIf(!runJourney)('the admin panel’s Sessions dialog in legacy-support jwt mode', () => {
  let app: ExampleApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let admin: TestAdmin;

  beforeAll(async () => {
    app = await startExampleApp({
      database: 'sqlite',
      env: { SERVE_ADMIN_PANEL: 'true', UP_JWT_MANAGEMENT: 'legacy-support' },
    });
    admin = await createAdmin(app, await superAdminRole(app));
    ({ browser, page } = await openPage('the admin panel’s sessions in legacy-support mode', {
      ...ADMIN_PAGE_OPTIONS,
      pageErrors,
    }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('should explain that tokens live until they expire, with nothing to end', async () => {
    const user = await signUp(app, 'legacy');
    await page.goto(`${app.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(admin.email);
    await page.locator('input[name="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.getByRole('link', { name: 'Two-factor' }).first().click();
    await page.getByTestId(`user-row-${user.id}`).getByRole('button', { name: 'Sessions' }).click();
    const dialog = page.getByRole('dialog', { name: `Sessions of ${user.username}` });
    await dialog.getByText(/the server keeps no sessions.*Each token works until it expires/).waitFor();
    expect(await dialog.getByRole('button', { name: 'End all sessions' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-sessions-legacy.png') });
    expect(pageErrors).toEqual([]);
  });
});
