import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

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
