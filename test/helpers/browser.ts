import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumLaunch } from './system-tools.js';

/** Where browser tests keep screenshots for a reviewer to look at (ignored by git). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Launches headless Chromium: the system's binary, else the package's. */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, args } = await chromiumLaunch();
  return chromium.launch({ executablePath, args });
}

/** One browser for the test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('the browser starts before the tests');
    return browser;
  };
}

export interface OpenPageOptions {
  viewport?: BrowserContextOptions['viewport'];
  colorScheme?: BrowserContextOptions['colorScheme'];
  /** Also count `console.error` messages as errors. @default false */
  consoleErrors?: boolean;
  /** Runs on the new page before it loads the file (more listeners, init scripts). */
  prepare?: (page: Page) => unknown;
}

/** A page with the script errors and dialogs (each dismissed) it met. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  dialogs: string[];
}

/** Opens a report file in a new page and waits until its script marked it ready. */
export async function openReportFile(
  browser: Browser,
  file: string,
  options: OpenPageOptions = {},
): Promise<WatchedPage> {
  const page = await browser.newPage({
    ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
    ...(options.colorScheme === undefined ? {} : { colorScheme: options.colorScheme }),
  });
  const watched: WatchedPage = { page, errors: [], dialogs: [] };
  page.on('pageerror', (e) => watched.errors.push(e.message));
  if (options.consoleErrors === true) {
    page.on('console', (m) => {
      if (m.type() === 'error') watched.errors.push(m.text());
    });
  }
  page.on('dialog', (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  await options.prepare?.(page);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
  return watched;
}
