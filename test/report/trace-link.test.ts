import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEnvConfig } from '../../src/config/env.js';
import { generateReport } from '../../src/report/generate-report.js';
import { resolveTraceLinks, traceLink } from '../../src/report/trace-link.js';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { ensureBuilt, runCli } from '../cli/cli-run.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

beforeAll(() => ensureBuilt());

describe('trace links', () => {
  it('links a trace id to Jaeger, or to Grafana Explore on the Tempo data source', () => {
    const env = readEnvConfig({});
    expect(traceLink(resolveTraceLinks({ jaegerUrl: 'http://jaeger:16686/' }, env), TRACE)).toBe(
      `http://jaeger:16686/trace/${TRACE}`,
    );
    const grafana = traceLink(
      resolveTraceLinks({ grafanaUrl: 'https://grafana.example/g', grafanaTempoUid: 'tempo-1' }, env),
      TRACE,
    );
    const url = new URL(grafana ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://grafana.example/g/explore');
    expect(JSON.parse(url.searchParams.get('panes') ?? '')).toEqual({
      ei: {
        datasource: 'tempo-1',
        queries: [
          { refId: 'A', datasource: { type: 'tempo', uid: 'tempo-1' }, queryType: 'traceql', query: TRACE },
        ],
        range: { from: 'now-30d', to: 'now' },
      },
    });
  });

  it('takes the bases from ERROR_INSIGHT_JAEGER_URL / ERROR_INSIGHT_GRAFANA_URL, and links nothing without one', () => {
    const env = readEnvConfig({ ERROR_INSIGHT_GRAFANA_URL: 'http://grafana:3000' });
    expect(traceLink(resolveTraceLinks(undefined, env), TRACE)).toMatch(/^http:\/\/grafana:3000\/explore\?/);
    expect(resolveTraceLinks(undefined, readEnvConfig({}))).toBeUndefined();
  });

  it('refuses a base that is not http(s) and never links an id that is not 32 hex digits', () => {
    const env = readEnvConfig({});
    expect(() => resolveTraceLinks({ jaegerUrl: 'javascript:alert(1)' }, env)).toThrow(
      'error-insight: traceLinks.jaegerUrl must be an http:// or https:// URL',
    );
    expect(() => resolveTraceLinks(undefined, readEnvConfig({ ERROR_INSIGHT_JAEGER_URL: 'nope' }))).toThrow(
      /ERROR_INSIGHT_JAEGER_URL is not a valid URL/,
    );
    const links = resolveTraceLinks({ jaegerUrl: 'http://jaeger:16686' }, env);
    expect(traceLink(links, '"><script>')).toBeUndefined();
    expect(traceLink(links, TRACE.toUpperCase())).toBeUndefined();
  });

  it('exits 2 for a --jaeger-url that is not a URL, naming it once', async () => {
    ensureBuilt();
    const root = await tempDir();
    for (const command of ['report', 'stats']) {
      const r = await runCli([command, '--store', root, '--jaeger-url', 'nope']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error-insight: traceLinks.jaegerUrl is not a valid URL\n');
    }
  });

  it("makes each sample's trace id in the HTML report a link into Jaeger", async () => {
    const dir = await tempDir();
    const file = join(dir, 'report.html');
    await generateReport({
      source: {
        records: [makeRecord({ trace: { traceId: TRACE, spanId: SPAN } }), makeRecord({ trace: undefined })],
      },
      format: 'html',
      outputFile: file,
      patterns: false,
      traceLinks: { jaegerUrl: 'http://127.0.0.1:16686' },
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      const links = await page.$$eval('a.trace-link', (as) =>
        as.map((a) => ({ href: (a as HTMLAnchorElement).href, rel: (a as HTMLAnchorElement).rel })),
      );
      expect(links).toEqual([{ href: `http://127.0.0.1:16686/trace/${TRACE}`, rel: 'noopener noreferrer' }]);
    } finally {
      await browser.close();
    }
  });

  it('stats and tail print the link of a traced error', async () => {
    const root = join(await tempDir(), 'store');
    const store = new JsonlStore({
      logFile: join(root, 'errors.jsonl'),
      handleExit: false,
      retentionDays: 0,
    });
    store.append(makeRecord({ trace: { traceId: TRACE, spanId: SPAN } }));
    await store.close();
    const stats = await runCli(['stats', '--store', root, '--jaeger-url', 'http://jaeger:16686']);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('Latest trace of each top error');
    expect(stats.stdout).toContain(`http://jaeger:16686/trace/${TRACE}`);
    const tail = await runCli([
      'tail',
      '--store',
      root,
      '--from-start',
      '--limit',
      '1',
      '--jaeger-url',
      'http://jaeger:16686',
    ]);
    expect(tail.code).toBe(0);
    expect(tail.stdout).toContain(`trace=http://jaeger:16686/trace/${TRACE}`);
  });
});
