import path from 'node:path';
import type { ExampleApp } from '@strapi-two-factor/test-utils';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { waitForSms } from '../../support/twoFactor';
import { openPage, SCREENSHOTS } from './headlessChromium';

/** The demo page (`apps/example/public/demo/`) in headless Chromium, with the steps its journeys share. */
export class DemoPage {
  page!: Page;
  /** The page's uncaught errors: a journey ends by checking there were none. */
  readonly pageErrors: string[] = [];
  private browser: Browser | undefined;
  private screenshotCount = 0;

  /**
   * @param journey names the journey in Chromium's messages.
   * @param screenshots `prefix` of the files in test-results/e2e; `numbered` puts 01-, 02-, … after it.
   */
  constructor(
    private readonly journey: string,
    private readonly screenshots: { prefix?: string; numbered?: boolean } = {},
  ) {}

  /** Launches Chromium and opens the page (not yet navigated), 1000×800 with a 15 s timeout. */
  async open(context: BrowserContextOptions = {}): Promise<Page> {
    const opened = await openPage(this.journey, {
      context: { viewport: { width: 1000, height: 800 }, ...context },
      timeout: 15_000,
      pageErrors: this.pageErrors,
    });
    this.browser = opened.browser;
    this.page = opened.page;
    return this.page;
  }

  readonly close = async (): Promise<void> => {
    await this.browser?.close();
  };

  readonly screenshot = async (name: string): Promise<void> => {
    const { prefix = '', numbered = true } = this.screenshots;
    this.screenshotCount += 1;
    const number = numbered ? `${String(this.screenshotCount).padStart(2, '0')}-` : '';
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${prefix}${number}${name}.png`), fullPage: true });
  };

  /** Waits until the page's status region (role="status", aria-live) says `text`. */
  readonly statusSays = async (text: string): Promise<void> => {
    await this.page.getByRole('status').filter({ hasText: text }).waitFor({ state: 'visible' });
  };

  readonly region = (name: string): Locator => this.page.getByRole('region', { name, exact: true });

  readonly expectSignedIn = async (username: string): Promise<void> => {
    await this.page.getByRole('heading', { name: `Signed in as ${username}` }).waitFor({ state: 'visible' });
  };

  readonly signOut = async (username: string): Promise<void> => {
    await this.region(`Signed in as ${username}`).getByRole('button', { name: 'Sign out' }).click();
    await this.statusSays('You are signed out.');
    await this.region('Sign in').waitFor({ state: 'visible' });
  };

  /** Step 1 on the page: username and password, and Continue; the sign-in region. */
  readonly submitPassword = async (user: { username: string; password: string }): Promise<Locator> => {
    const signIn = this.region('Sign in');
    await signIn.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
    await signIn.getByLabel('Password', { exact: true }).fill(user.password);
    await signIn.getByRole('button', { name: 'Continue' }).click();
    return signIn;
  };

  /** Fills the phone sign-up form and asks for the code; the sign-up region. */
  readonly startPhoneSignUp = async (user: { username: string; phone: string; password: string }): Promise<Locator> => {
    const signUp = this.region('Create an account with your phone');
    await signUp.getByRole('textbox', { name: 'Username', exact: true }).fill(user.username);
    await signUp.getByRole('textbox', { name: 'Phone number' }).fill(user.phone);
    await signUp.getByLabel('Password', { exact: true }).fill(user.password);
    await signUp.getByRole('button', { name: 'Text me a code' }).click();
    return signUp;
  };

  /**
   * In `confirm` (a region offering a text message), asks for a fresh code, waits for the SMS
   * and types it: focus is in the code field by then.
   */
  readonly typeFreshSmsCode = async (app: ExampleApp, phone: string, confirm: Locator): Promise<void> => {
    const before = (await app.sms.messages(phone)).length;
    await confirm.getByRole('button', { name: 'Text me a code' }).click();
    await this.statusSays('We sent a code to');
    await waitForSms(app, phone, before + 1);
    await this.page.keyboard.type(await app.sms.lastCode(phone));
  };
}
