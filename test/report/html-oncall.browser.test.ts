import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { generateReport } from '../../src/report/generate-report.js';
import { ARTIFACTS, openReportFile, useBrowser } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { hostileRecord, makeRecord, PAYLOADS } from './report-fixtures.js';

const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 1, 8);
const browser = useBrowser();
beforeAll(() => mkdir(ARTIFACTS, { recursive: true }));

async function open(records: ErrorRecord[], viewport: { width: number; height: number }) {
  const dir = await tempDir();
  const file = join(dir, 'report.html');
  await generateReport({ source: { records }, format: 'html', outputFile: file, patterns: false });
  return openReportFile(browser(), file, { viewport });
}

/** The classification of the renderer's programming error, on every record of it. */
function codeBug(): ErrorRecord['classification'] {
  return {
    category: 'programming',
    severity: 'critical',
    retryable: false,
    suggestion: '修复代码',
    rule: 'r',
  };
}

function rec(
  ms: number,
  fingerprint: string,
  version: string,
  extra: Partial<ErrorRecord> = {},
): ErrorRecord {
  return makeRecord({
    id: `${fingerprint}-${ms}-${Math.random()}`,
    time: new Date(ms).toISOString(),
    fingerprint,
    service: { name: 'clips-api', version },
    environment: 'production',
    ...extra,
  });
}

/**
 * A week of a web service over three releases: a frequent error in every release, one that
 * stopped in 1.1 and came back in 1.2 (regressed), one first seen in 1.2 (new), with routes.
 */
function serviceWeek(): ErrorRecord[] {
  const out: ErrorRecord[] = [];
  const route = (r: string) => ({
    request: { method: 'GET', route: r, path: r.replace(':id', '42'), status: 500 },
  });
  for (let i = 0; i < 60; i++) {
    const ms = T0 + i * 2.5 * HOUR;
    out.push(
      rec(ms, 'timeout', ms < T0 + 2 * DAY ? '1.0' : ms < T0 + 4 * DAY ? '1.1' : '1.2', {
        exception: { type: 'TimeoutError', message: 'upload to storage timed out after 30000 ms' },
        ...route('/videos/:id/upload'),
      }),
    );
  }
  for (let i = 0; i < 6; i++)
    out.push(
      rec(T0 + i * HOUR, 'null-frame', '1.0', {
        exception: {
          type: 'TypeError',
          message:
            "Cannot read properties of undefined (reading 'frameRate') while rendering a very long title 渲染失败",
        },
        classification: codeBug(),
        ...route('/videos/:id/render'),
      }),
    );
  out.push(
    rec(T0 + 2.5 * DAY, 'disk', '1.1', { exception: { type: 'Error', message: 'ENOSPC: no space left' } }),
  );
  for (let i = 0; i < 3; i++)
    out.push(
      rec(T0 + 4.5 * DAY + i * HOUR, 'null-frame', '1.2', {
        exception: {
          type: 'TypeError',
          message: "Cannot read properties of undefined (reading 'frameRate')",
        },
        classification: codeBug(),
        ...route('/videos/:id/render'),
      }),
    );
  for (let i = 0; i < 4; i++)
    out.push(
      rec(T0 + 6 * DAY + i * HOUR, 'fresh', '1.2', {
        exception: { type: 'RangeError', message: 'bitrate 0k is out of range' },
        ...route('/export'),
      }),
    );
  return out;
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (b === null) throw new Error(`${selector} is not laid out`);
  return b;
}

/** Rendered heights of SVG text in a chart, in CSS pixels. */
async function svgTextHeights(page: Page, chart: string): Promise<number[]> {
  return page.$$eval(`svg[data-chart="${chart}"] text`, (texts) =>
    texts.map((t) => t.getBoundingClientRect().height),
  );
}

describe('HTML report for on-call, desktop 1400×900', () => {
  it('shows the top errors above the fold, most frequent first, with marks, sparklines and ages', async () => {
    const { page, errors } = await open(serviceWeek(), DESKTOP);
    expect(errors).toEqual([]);
    const rows = page.locator('#groups tbody tr');
    expect(await rows.count()).toBe(4);
    const firstRow = await box(page, '#groups tbody tr');
    expect(firstRow.y + firstRow.height).toBeLessThan(DESKTOP.height);
    // All four rows are on the first screen.
    const lastRow = await rows.nth(3).boundingBox();
    expect((lastRow?.y ?? Number.POSITIVE_INFINITY) + (lastRow?.height ?? 0)).toBeLessThan(DESKTOP.height);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-fp')))).toEqual([
      'timeout',
      'null-frame',
      'fresh',
      'disk',
    ]);
    const nullFrame = page.locator('#groups tr[data-fp="null-frame"]');
    expect(await nullFrame.locator('.mark-regressed').textContent()).toBe('regressed in 1.2');
    expect(await page.locator('#groups tr[data-fp="fresh"] .mark-new').textContent()).toBe('new');
    expect(await page.locator('#groups .mark-new').count()).toBe(1);
    expect(await page.locator('#new-count .v').textContent()).toBe('1');
    expect(await page.locator('#regressed-count .v').textContent()).toBe('1');
    // Sparklines: one per group; the frequent error draws a bar in most of its 24 bins.
    expect(await page.locator('#groups svg[data-chart="spark"]').count()).toBe(4);
    expect(
      await page.locator('#groups tr[data-fp="timeout"] svg[data-chart="spark"] rect.fill-accent').count(),
    ).toBeGreaterThan(15);
    // Ages relative to the report's generation time, with the absolute time on hover.
    const ages = await nullFrame
      .locator('td.when .age')
      .evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('title')]));
    expect(ages[0]?.[0]).toMatch(/^\d+ (d|mo) ago$/);
    expect(ages[0]?.[1]).toBe('2026-11-01 08:00:00.000 UTC');
    expect(await nullFrame.locator('td.releases .tag').allTextContents()).toEqual(['1.0 6', '1.2 3']);
    expect(await page.locator('#by-release tbody tr').count()).toBe(3);
    expect(await page.locator('#by-release tbody tr').last().locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['1.2', '1', '1']),
    );
    expect(await page.locator('svg[data-chart="by-route"] rect.fill-accent').count()).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, 'report-oncall-desktop.png'), fullPage: false });
    await page.close();
  });

  it('labels a week-long timeline by day and a sub-second run by milliseconds, labels apart', async () => {
    const week = await open(serviceWeek(), DESKTOP);
    const weekLabels = await week.page.locator('svg[data-chart="timeline"] text.tick').allTextContents();
    expect(weekLabels.length).toBeGreaterThanOrEqual(4);
    expect(weekLabels.every((l) => /^(2026-)?11-\d\d$/.test(l))).toBe(true);
    expect(await week.page.locator('svg[data-chart="timeline"] text.muted-text').textContent()).toMatch(
      /one bar per (1|3|6|12) h$/,
    );
    await week.page.close();

    const burst: ErrorRecord[] = [];
    for (let i = 0; i < 40; i++) burst.push(rec(T0 + i * 17, `fp${i % 2}`, '1.0'));
    const run = await open(burst, DESKTOP);
    const timeline = run.page.locator('svg[data-chart="timeline"]');
    expect(await timeline.locator('rect').count()).toBeGreaterThan(20);
    expect(await timeline.locator('text.muted-text').textContent()).toBe('UTC · one bar per 10 ms');
    const labels = await timeline.locator('text.tick').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels.every((l) => /\d\d:\d\d:\d\d\.\d{3}$/.test(l))).toBe(true);
    const boxes = await timeline.locator('text.tick').evaluateAll((ts) =>
      ts.map((t) => {
        const r = t.getBoundingClientRect();
        return [r.left, r.right];
      }),
    );
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]?.[0]).toBeGreaterThan(boxes[i - 1]?.[1] ?? 0);
    await run.page.screenshot({ path: join(ARTIFACTS, 'report-oncall-subsecond.png'), fullPage: false });
    await run.page.close();
  });

  it('puts the request and other registered sections under each sample, in order', async () => {
    const { page } = await open(serviceWeek(), DESKTOP);
    await page.locator('#groups tr[data-fp="fresh"]').click();
    const detail = page.locator('#detail-fresh');
    expect(await detail.getAttribute('open')).not.toBeNull();
    const sections = await detail
      .locator('.sample')
      .first()
      .locator('.section')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(sections).toEqual(['stack', 'request', 'context', 'resources']);
    expect(await detail.locator('.section[data-section="request"] dd').first().textContent()).toBe('GET');
    expect(await detail.locator('.section[data-section="request"] dd').allTextContents()).toContain('500');
    expect(await detail.locator('dd').allTextContents()).toContain('1.2: 4');
    await page.close();
  });
});

describe('HTML report for on-call, hostile releases, environments and requests', () => {
  it('shows payloads in release, environment, route, path and peer as text and runs none', async () => {
    const hostile = (ms: number, version: string) =>
      hostileRecord({
        time: new Date(ms).toISOString(),
        service: { name: 'svc', version },
        environment: PAYLOADS.attr,
        request: {
          method: PAYLOADS.img,
          route: PAYLOADS.script,
          path: PAYLOADS.comment,
          status: 500,
          peer: PAYLOADS.js,
        },
      });
    const records = [
      hostile(T0, `1${PAYLOADS.img}`),
      rec(T0 + DAY, 'other', `2${PAYLOADS.script}`),
      hostile(T0 + 2 * DAY, `3${PAYLOADS.attr}`),
    ];
    const { page, errors } = await open(records, DESKTOP);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    expect(errors).toEqual([]);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      handlers: document.querySelectorAll('[onerror],[onmouseover],[onload]').length,
    }));
    expect(state).toEqual({ pwned: undefined, imgs: 0, scripts: 2, handlers: 0 });
    expect(dialogs).toEqual([]);
    const row = page.locator('#groups tbody tr').first();
    expect(await row.getAttribute('data-fp')).toBe(`fp-${PAYLOADS.attr}`);
    expect(await row.locator('.mark-regressed').textContent()).toBe(`regressed in 3${PAYLOADS.attr}`);
    // A route names its method by at most 16 characters.
    expect(await row.locator('.tag-route').textContent()).toBe(
      `${PAYLOADS.img.slice(0, 16)} ${PAYLOADS.script} 2`,
    );
    expect(await page.locator('#by-release tbody td').allTextContents()).toContain(`2${PAYLOADS.script}`);
    await row.click();
    const request = page.locator('.section[data-section="request"]').first();
    expect(await request.locator('dd').allTextContents()).toEqual([
      PAYLOADS.img,
      PAYLOADS.script,
      PAYLOADS.comment,
      '500',
      PAYLOADS.js,
    ]);
    expect(await request.locator('a').count()).toBe(0);
    await page.close();
  });
});

describe('HTML report for on-call, phone 390×844', () => {
  it('stacks each error as a full-width card under a header that does not stick', async () => {
    const { page, errors } = await open(serviceWeek(), PHONE);
    expect(errors).toEqual([]);
    const header = await box(page, 'header');
    const headerPosition = await page.$eval('header', (h) => getComputedStyle(h).position);
    expect(headerPosition).toBe('static');
    expect(header.height).toBeLessThan(200);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const cards = await page.locator('#groups tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const msg = tr.querySelector('td.msg')?.getBoundingClientRect();
        return {
          display: getComputedStyle(tr).display,
          width: tr.getBoundingClientRect().width,
          msg: msg?.width ?? 0,
        };
      }),
    );
    expect(cards).toHaveLength(4);
    for (const c of cards) {
      expect(c.display).toBe('flex');
      expect(c.width).toBeGreaterThan(340);
      expect(c.msg).toBeGreaterThan(300);
    }
    // The first error starts on the first screen.
    expect((await box(page, '#groups tbody tr')).y).toBeLessThan(PHONE.height);
    expect(await page.locator('#groups thead').isVisible()).toBe(false);
    const sizes = await page.$$eval('#groups tbody td, #groups tbody td *', (els) =>
      els
        .filter((e) => (e.textContent ?? '').trim() !== '')
        .map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
    );
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    expect(
      await page
        .locator('#groups td.when')
        .first()
        .evaluate((td) => getComputedStyle(td, '::before').content),
    ).toBe('"first seen"');
    await page.screenshot({ path: join(ARTIFACTS, 'report-oncall-phone.png'), fullPage: false });
    await page.screenshot({ path: join(ARTIFACTS, 'report-oncall-phone-full.png'), fullPage: true });
    await page.close();
  });

  it('draws charts at the phone width with axis text of readable size', async () => {
    const { page } = await open(serviceWeek(), PHONE);
    const chart = await box(page, 'svg[data-chart="timeline"]');
    expect(chart.width).toBeLessThanOrEqual(PHONE.width);
    expect(chart.width).toBeGreaterThan(300);
    for (const name of ['timeline', 'by-phase', 'by-route']) {
      const heights = await svgTextHeights(page, name);
      expect(heights.length).toBeGreaterThan(0);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(12);
    }
    const ticks = await page.locator('svg[data-chart="timeline"] text.tick').evaluateAll((ts) =>
      ts.map((t) => {
        const r = t.getBoundingClientRect();
        return [r.left, r.right];
      }),
    );
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]?.[0]).toBeGreaterThan(ticks[i - 1]?.[1] ?? 0);
    expect(ticks.every(([l, r]) => (l ?? -1) >= 0 && (r ?? PHONE.width + 1) <= PHONE.width)).toBe(true);
    await page.close();
  });
});
