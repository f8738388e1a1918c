import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { generateReport } from '../../src/report/generate-report.js';
import { ARTIFACTS, openReportFile, useBrowser, type WatchedPage } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { hostileRecord, makeRecord, PAYLOADS } from './report-fixtures.js';

const browser = useBrowser();
beforeAll(() => mkdir(ARTIFACTS, { recursive: true }));

type Watched = WatchedPage & { requests: string[] };

/** Opens a report in a fresh page that records dialogs, network requests, script errors and CSP violations. */
async function openReport(
  records: ErrorRecord[],
  colorScheme: 'light' | 'dark' = 'light',
  patterns = false,
): Promise<Watched> {
  const dir = await tempDir();
  const file = join(dir, 'report.html');
  await generateReport({
    source: { records },
    format: 'html',
    outputFile: file,
    title: 'Pipeline errors 渲染',
    ...(patterns ? {} : { patterns: false as const }),
  });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const opened = await openReportFile(browser(), file, {
    viewport: { width: 1280, height: 900 },
    colorScheme,
    prepare: (page) => {
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      return page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { __csp: string[] }).__csp ??= [];
          (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
    },
  });
  return { ...opened, requests };
}

function pipelineRecords(): ErrorRecord[] {
  const phases = ['RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'];
  const out: ErrorRecord[] = [];
  for (let i = 0; i < 120; i++) {
    const fp = i % 4;
    out.push(
      makeRecord({
        time: new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString(),
        fingerprint: `fp${fp}`,
        phase: phases[fp],
        videoHash: `video${i % 9}`,
        exception: {
          type: fp === 3 ? 'TypeError' : 'Error',
          message: fp === 3 ? 'Cannot read properties of undefined' : `ffmpeg exited with code ${fp}`,
          stacktrace: 'Error: x\n    at encode (/app/e.js:1:1)',
        },
        classification: {
          category: fp === 3 ? 'programming' : 'ffmpeg',
          severity: fp === 3 ? 'critical' : 'high',
          retryable: fp !== 3,
          suggestion: '检查编码参数',
          rule: 'r',
        },
        context: { phaseElapsedMs: i * 100, attempt: i % 3, log: 'https://ci.example/job/1' },
      }),
    );
  }
  return out;
}

describe('HTML report in Chromium', () => {
  it('draws the timeline, bar charts, heat map, tables and details from the embedded data', async () => {
    const { page, errors, requests } = await openReport(pipelineRecords(), 'light', true);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('#title').textContent()).toBe('Pipeline errors 渲染');
    expect(await page.locator('svg[data-chart="timeline"] rect').count()).toBeGreaterThan(10);
    expect(await page.locator('svg[data-chart="by-phase"] rect.fill-accent').count()).toBe(4);
    expect(await page.locator('svg[data-chart="by-category"] rect.fill-accent').count()).toBe(2);
    expect(await page.locator('#groups tbody tr').count()).toBe(4);
    expect(await page.locator('#memory-table tbody tr').count()).toBe(4);
    expect(await page.locator('#heatmap td').count()).toBe(8);
    expect(await page.locator('#details details').count()).toBe(4);
    expect(await page.locator('#totals .card .v').first().textContent()).toBe('120');
    expect(await page.locator('#groups tbody tr').first().locator('td').first().textContent()).toBe('30');
    await page.locator('#groups tbody tr').first().click();
    expect(await page.locator('#details details[open]').count()).toBe(1);
    expect(await page.locator('#details details[open] .copy code').allTextContents()).toContain(
      'error_insight.fingerprint=fp0',
    );
    expect(await page.locator('#details details[open] a').first().getAttribute('href')).toBe(
      'https://ci.example/job/1',
    );
    expect(await page.locator('#details details[open] dd').allTextContents()).toEqual(
      expect.arrayContaining(['90.0% used', '75.0%']),
    );
    expect(await page.locator('#patterns li').count()).toBeGreaterThan(0);
    expect(await page.locator('#patterns li').first().textContent()).toMatch(/systemic/);
    await page.screenshot({ path: join(ARTIFACTS, 'report-light.png'), fullPage: true });
    await page.close();
  });

  it('filters and sorts the tables by search text, phase and severity', async () => {
    const { page } = await openReport(pipelineRecords());
    const visibleRows = () => page.locator('#groups tbody tr:not(.hidden)');
    await page.fill('#q', 'cannot read');
    expect(await visibleRows().count()).toBe(1);
    expect(await page.locator('#shown').textContent()).toBe('1 of 4 shown');
    expect(await page.locator('#details details:not(.hidden)').count()).toBe(1);
    await page.fill('#q', '');
    await page.selectOption('#f-phase', 'MUXING');
    expect(await visibleRows().count()).toBe(1);
    expect(await visibleRows().first().getAttribute('data-fp')).toBe('fp2');
    await page.selectOption('#f-phase', '');
    await page.selectOption('#f-severity', 'high');
    expect(await visibleRows().count()).toBe(3);
    await page.selectOption('#f-severity', '');
    await page.selectOption('#sort', 'last');
    expect(await page.locator('#groups tbody tr').first().getAttribute('data-fp')).toBe('fp3');
    await page.close();
  });

  it('renders an empty report with its totals and no script error', async () => {
    const { page, errors } = await openReport([]);
    expect(errors).toEqual([]);
    expect(await page.locator('#totals .card .v').first().textContent()).toBe('0');
    expect(await page.locator('#timeline').textContent()).toBe('No errors in range.');
    expect(await page.locator('#groups tbody tr').count()).toBe(0);
    expect(await page.locator('#shown').textContent()).toBe('0 of 0 shown');
    await page.close();
  });

  it('renders in dark mode and keeps a screenshot', async () => {
    const { page, errors } = await openReport(pipelineRecords(), 'dark');
    expect(errors).toEqual([]);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 19, 24)');
    await page.screenshot({ path: join(ARTIFACTS, 'report-dark.png'), fullPage: false });
    await page.close();
  });

  it('never executes payloads in messages, stacks, types, phases, context keys and values', async () => {
    const records = [hostileRecord(), hostileRecord({ phase: PAYLOADS.script }), makeRecord()];
    const { page, dialogs, requests, errors } = await openReport(records);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      csp: (window as unknown as { __csp?: string[] }).__csp ?? [],
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      handlers: document.querySelectorAll('[onerror],[onmouseover],[onload]').length,
      jsLinks: [...document.querySelectorAll('a')].filter((a) => !/^https?:/.test(a.href)).length,
      text: document.body.textContent ?? '',
    }));
    expect(state).toMatchObject({ pwned: undefined, csp: [], imgs: 0, scripts: 2, handlers: 0, jsLinks: 0 });
    await page
      .locator('#details details')
      .first()
      .evaluate((d) => {
        (d as HTMLDetailsElement).open = true;
      });
    const detail = (await page.locator('#details details').first().textContent()) ?? '';
    expect(detail).toContain(PAYLOADS.img);
    expect(detail).toContain(PAYLOADS.script);
    expect(detail).toContain(PAYLOADS.attr);
    expect(state.text).toContain(`PHASE${PAYLOADS.img}`);
    const queries = await page.locator('#details details').first().locator('.copy code').allTextContents();
    expect(queries).toContain(
      `{ event:name = "exception" && event.error_insight.fingerprint = "fp-\\" onmouseover=\\"alert(4)\\" x='" }`,
    );
    expect(await page.locator('#f-phase option').allTextContents()).toContain(PAYLOADS.script);
    await page.close();
  });

  it('declares a Content-Security-Policy of default-src none with hashes for its script and style', async () => {
    const html = await generateReport({
      source: { records: [hostileRecord()] },
      format: 'html',
      patterns: false,
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'/,
    );
    expect(html).not.toContain('unsafe-inline');
    const data =
      /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
    expect(data).toContain('\\u003c/script\\u003e');
    expect(html.match(/<script/g)).toHaveLength(2);
    await writeFile(join(ARTIFACTS, 'report-hostile.html'), html);
  });
});
