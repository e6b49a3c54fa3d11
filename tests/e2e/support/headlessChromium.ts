import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/** Debian's package (`apt-get install -y chromium`), driven by playwright-core: no browser download. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCREENSHOTS = path.join(REPOSITORY, 'test-results', 'e2e');

const chromiumInstalled = existsSync(CHROMIUM);

/**
 * Whether a journey runs: with Chromium installed, and always under CI=true (where a missing
 * browser then fails in `launchChromium`). Says so in one line when it does not.
 */
export function shouldRunJourney(name: string): boolean {
  const run = chromiumInstalled || process.env.CI === 'true';
  if (!run)
    process.stdout.write(`[two-factor e2e] ${CHROMIUM} is missing: skipping ${name} (apt-get install chromium)\n`);
  return run;
}

/** Launches headless Chromium and makes sure the screenshot folder exists. */
export async function launchChromium(name: string): Promise<Browser> {
  if (!chromiumInstalled) throw new Error(`CI=true needs ${CHROMIUM} for ${name}: apt-get install -y chromium`);
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenPageOptions {
  context: BrowserContextOptions;
  /** Playwright's default timeout for the page's actions and waits, in milliseconds. */
  timeout: number;
  /** Where the page's uncaught errors go, for a journey to check that there were none. */
  pageErrors: string[];
}

/** Strapi's admin panel: a wide window, and more time than the demo page needs. */
export const ADMIN_PAGE_OPTIONS = { context: { viewport: { width: 1440, height: 900 } }, timeout: 20_000 } as const;

/** Launches headless Chromium and opens one page in a context of its own. */
export async function openPage(name: string, options: OpenPageOptions): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium(name);
  const context = await browser.newContext(options.context);
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeout);
  page.on('pageerror', (error) => options.pageErrors.push(error.message));
  return { browser, page };
}
