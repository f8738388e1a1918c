import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { generateReport } from '../../src/report/generate-report.js';
import { ARTIFACTS, openReportFile, useBrowser } from '../helpers/browser.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const browser = useBrowser();
beforeAll(() => mkdir(ARTIFACTS, { recursive: true }));

// A module of the "application": a credential and markup sit in its source, near the throw.
const APP_SOURCE = `// job runner
export function renderJob(job) {
  const config = { token: 'tok_live_51Hsecretvalue' };
  const label = '<img src=x onerror="alert(1)">';
  return job.meta.width * config.token.length + label.length;
}
`;

describe('source context in the HTML report', () => {
  it('shows the lines around each in-app frame, redacted, with the frame line marked', async () => {
    const dir = await tempDir('html-source-context-');
    const appFile = join(dir, 'job-runner.mjs');
    await writeFile(appFile, APP_SOURCE);
    const { renderJob } = (await import(pathToFileURL(appFile).href)) as { renderJob: (j: object) => number };
    const logger = new ExportLogger({
      logFile: join(dir, 'store', 'errors.jsonl'),
      projectRoot: dir,
      resources: false,
      warnOnStderr: false,
    });
    try {
      renderJob({});
    } catch (err) {
      logger.logStructuredError(err, undefined, { phase: 'RENDERING' });
    }
    await logger.shutdown();
    const records = await readStoreLines(join(dir, 'store'));
    const [top] = records[0]!.exception.sourceContext!;
    expect(top).toMatchObject({ function: 'renderJob', file: 'job-runner.mjs', line: 5 });
    expect(top!.context).toBe('  return job.meta.width * config.token.length + label.length;');
    expect(top!.pre[0]).toMatch(/^ {2}const config = \{ token: .*\};$/);
    expect(top!.pre[0]).not.toContain('tok_live_51Hsecretvalue');

    const out = join(dir, 'report.html');
    await generateReport({ source: { records }, format: 'html', outputFile: out, patterns: false });
    const { page, errors, dialogs } = await openReportFile(browser(), out, {
      viewport: { width: 1100, height: 800 },
    });
    await page.locator('#details details summary').first().click();
    const frame = page.locator('#details details[open] .src').first();
    expect(await frame.locator('.src-at').textContent()).toBe('renderJob · job-runner.mjs:5');
    expect(await frame.locator('.src-n').allTextContents()).toEqual(['3', '4', '5', '6', '7']);
    expect(await frame.locator('.src-hit .src-n').textContent()).toBe('5');
    expect(await frame.locator('.src-hit .src-code').textContent()).toBe(
      '  return job.meta.width * config.token.length + label.length;',
    );
    // The markup in the source is text on the page, never an element.
    expect(await frame.locator('.src-code').nth(0).textContent()).not.toContain('tok_live');
    expect(await frame.locator('.src-code').nth(1).textContent()).toContain('<img src=x onerror="alert(1)">');
    expect(await page.locator('#details img').count()).toBe(0);
    expect(await page.locator('#details').textContent()).not.toContain('tok_live_51Hsecretvalue');
    expect(await page.locator('#details details[open] [data-section="source"]').count()).toBeGreaterThan(0);
    await frame.screenshot({ path: join(ARTIFACTS, 'report-source-context.png') });
    await page
      .locator('#details details[open]')
      .first()
      .screenshot({ path: join(ARTIFACTS, 'report-source-context-details.png') });
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
