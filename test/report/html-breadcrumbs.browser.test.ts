import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../src/report/generate-report.js';
import { openReportFile, useBrowser } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

const browser = useBrowser();

describe('HTML report breadcrumbs', () => {
  it('shows the breadcrumbs of a sample in its error details, as text', async () => {
    const record = makeRecord({ time: '2026-03-01T10:00:05.000Z' });
    record.breadcrumbs = [
      { time: '2026-03-01T10:00:01.000Z', category: 'span.start', message: 'UPLOADING' },
      {
        time: '2026-03-01T10:00:03.500Z',
        category: 'console',
        level: 'warning',
        message: '<img src=x onerror=alert(1)>',
      },
      {
        time: '2026-03-01T10:00:04.000Z',
        category: 'http',
        level: 'warning',
        message: 'GET http://127.0.0.1:9/clip?token=[Filtered]',
        data: {
          method: 'GET',
          url: 'http://127.0.0.1:9/clip?token=[Filtered]',
          statusCode: 404,
          durationMs: 12,
        },
      },
    ];
    const dir = await tempDir();
    const file = join(dir, 'report.html');
    await generateReport({
      source: { records: [record] },
      format: 'html',
      outputFile: file,
      patterns: false,
    });
    const { page, errors, dialogs } = await openReportFile(browser(), file, { consoleErrors: true });
    const rows = await page.$$eval('table.crumbs tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)),
    );
    expect(rows).toEqual([
      ['−4.000 s', 'span.start', 'UPLOADING', ''],
      ['−1.500 s', 'console', '<img src=x onerror=alert(1)>', ''],
      ['−1.000 s', 'http', 'GET http://127.0.0.1:9/clip?token=[Filtered]', 'status 404 · 12 ms'],
    ]);
    expect(await page.$$('table.crumbs img')).toHaveLength(0);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
