import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { formatStats } from '../../src/cli/stats-command.js';
import type { ErrorRecord } from '../../src/record.js';
import { routeOf, routeOfPath } from '../../src/record-dimensions.js';
import { AdaptiveTimeline } from '../../src/report/adaptive-timeline.js';
import { aggregateReport, generateReport } from '../../src/report/generate-report.js';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import { ReportAggregator } from '../../src/report/report-aggregator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

const meta = {
  title: 't',
  source: { kind: 'records' as const, files: 0, lines: 0, corruptLines: 0, duplicates: 0 },
};
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 10, 1);

function at(ms: number, fingerprint: string, version: string | undefined, extra: Partial<ErrorRecord> = {}) {
  return makeRecord({
    time: new Date(ms).toISOString(),
    fingerprint,
    service: version === undefined ? { name: 'svc' } : { name: 'svc', version },
    ...extra,
  });
}

function aggregate(records: ErrorRecord[]): ReportAggregation {
  const agg = new ReportAggregator();
  for (const r of records) agg.add(r);
  return agg.result(meta);
}

describe('per-release counts and regressions', () => {
  // Releases 1.0 → 1.1 → 1.2, a day apart. "back" stops in 1.1 and comes back in 1.2;
  // "steady" is in all three; "fresh" first appears in 1.2.
  const records = [
    at(T0, 'back', '1.0'),
    at(T0 + HOUR, 'back', '1.0'),
    at(T0 + 2 * HOUR, 'steady', '1.0'),
    at(T0 + 24 * HOUR, 'steady', '1.1'),
    at(T0 + 48 * HOUR, 'steady', '1.2'),
    at(T0 + 49 * HOUR, 'back', '1.2'),
    at(T0 + 50 * HOUR, 'fresh', '1.2'),
  ];

  it('orders releases by first appearance and counts records, groups, new and regressed per release', () => {
    const a = aggregate(records);
    expect(
      a.byRelease.map((r) => [r.release, r.count, r.fingerprints, r.newFingerprints, r.regressions]),
    ).toEqual([
      ['1.0', 3, 2, 2, 0],
      ['1.1', 1, 1, 0, 0],
      ['1.2', 3, 3, 1, 1],
    ]);
  });

  it('counts a group in releases past the cap under the report’s (other), as the report does', () => {
    // 100 releases of one group fill the report's cap; a second group lives only in five more.
    const many = Array.from({ length: 100 }, (_, i) => at(T0 + i * HOUR, 'old', `1.${i}`));
    const late = Array.from({ length: 5 }, (_, i) => at(T0 + (100 + i) * HOUR, 'late', `2.${i}`));
    const a = aggregate([...many, ...late]);
    expect(a.byRelease.at(-1)).toMatchObject({ release: '(other)', count: 5, fingerprints: 1 });
    const group = a.groups.find((g) => g.fingerprint === 'late');
    expect(group?.releases.map((r) => [r.release, r.count])).toEqual([['(other)', 5]]);
  });

  it('marks a group seen again in a newer release after a release without it as regressed', () => {
    const groups = Object.fromEntries(aggregate(records).groups.map((g) => [g.fingerprint, g]));
    expect(groups.back?.regressed).toEqual({ release: '1.2', after: '1.0', skipped: '1.1' });
    expect(groups.back?.releases.map((r) => [r.release, r.count])).toEqual([
      ['1.0', 2],
      ['1.2', 1],
    ]);
    expect(groups.steady?.regressed).toBeUndefined();
    expect(groups.fresh?.regressed).toBeUndefined();
  });

  it('marks a group first seen in the newest release as new, and no other', () => {
    const groups = aggregate(records).groups;
    expect(groups.filter((g) => g.isNew).map((g) => g.fingerprint)).toEqual(['fresh']);
  });

  it('marks groups first seen in the last 24 hours as new when records carry no release', () => {
    const a = aggregate([
      at(T0, 'old', undefined),
      at(T0 + 72 * HOUR, 'old', undefined),
      at(T0 + 60 * HOUR, 'recent', undefined),
    ]);
    expect(a.byRelease).toEqual([]);
    expect(a.groups.map((g) => [g.fingerprint, g.isNew])).toEqual([
      ['old', false],
      ['recent', true],
    ]);
  });

  it('calls nothing new when all records fall within one day and one release', () => {
    const a = aggregate([at(T0, 'a', '1.0'), at(T0 + HOUR, 'b', '1.0')]);
    expect(a.groups.some((g) => g.isNew)).toBe(false);
  });

  it('puts per-release counts and the regressed mark in the grouped CSV', async () => {
    const csv = await generateReport({ source: { records }, format: 'csv', group: true, patterns: false });
    const [header, ...lines] = csv.trim().split('\r\n');
    const cols = header?.split(',') ?? [];
    expect(cols).toEqual(expect.arrayContaining(['releases', 'regressed_in', 'new', 'routes']));
    const back = lines.find((l) => l.startsWith('back,'));
    expect(back).toContain('1.0:2; 1.2:1');
    expect(back).toContain('1.2');
  });
});

describe('stats text', () => {
  it('shows the releases oldest first with their new and regressed groups, and marks the groups', () => {
    const text = formatStats(
      aggregate([
        at(T0, 'back', '1.0'),
        at(T0 + HOUR, 'other', '1.1'),
        at(T0 + 2 * HOUR, 'back', '1.2', { request: { method: 'GET', route: '/v/:id' } }),
      ]),
      10,
    );
    const lines = text.split('\n');
    const release = lines.indexOf('By release (oldest first)');
    expect(release).toBeGreaterThan(0);
    expect(lines.slice(release + 2, release + 5).map((l) => l.trim().split(/\s+/))).toEqual([
      ['1', '1', '1', '0', '1.0'],
      ['1', '1', '1', '0', '1.1'],
      ['1', '1', '0', '1', '1.2'],
    ]);
    expect(text).toContain('[regressed] Error: ffmpeg exited with code 1');
    expect(text).toMatch(/By route\nCOUNT +ERRORS +ROUTE\n +2 +2 +\(none\)\n +1 +1 +GET \/v\/:id\n/);
  });

  it('leaves the route section out when no record came from a request', () => {
    expect(formatStats(aggregate([at(T0, 'a', undefined)]), 10)).not.toContain('By route');
  });
});

describe('route dimension', () => {
  it('names a route by method and http.route, else by the path with ids masked', () => {
    expect(routeOf(makeRecord({ request: { method: 'GET', route: '/videos/:id', path: '/videos/1' } }))).toBe(
      'GET /videos/:id',
    );
    expect(
      routeOf(makeRecord({ request: { method: 'POST', path: '/videos/42/frames/0af7651916cd43dd' } })),
    ).toBe('POST /videos/:id/frames/:id');
    expect(routeOf(makeRecord())).toBe('(none)');
    expect(routeOfPath('/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301/x')).toBe('/u/:id/x');
    // A foreign line with the wrong types counts as no route rather than failing the report.
    expect(routeOf(makeRecord({ request: 'GET /' as unknown as ErrorRecord['request'] }))).toBe('(none)');
  });

  it('counts records and groups per route beside phase', () => {
    const a = aggregate([
      makeRecord({ fingerprint: 'a', request: { method: 'GET', route: '/v/:id' } }),
      makeRecord({ fingerprint: 'b', request: { method: 'GET', route: '/v/:id' } }),
      makeRecord({ fingerprint: 'a', request: { method: 'POST', route: '/export' } }),
      makeRecord({ fingerprint: 'a' }),
    ]);
    expect(a.byRoute).toEqual([
      { route: 'GET /v/:id', count: 2, fingerprints: 2 },
      { route: 'POST /export', count: 1, fingerprints: 1 },
      { route: '(none)', count: 1, fingerprints: 1 },
    ]);
    expect(a.groups.find((g) => g.fingerprint === 'a')?.routes).toEqual({
      'GET /v/:id': 1,
      'POST /export': 1,
      '(none)': 1,
    });
  });
});

describe('timeline range', () => {
  it('uses millisecond buckets for a run that failed within a second', () => {
    const a = aggregate([0, 120, 250, 400, 730].map((ms) => at(T0 + ms, 'x', '1')));
    expect(a.timeline.bucketMs).toBe(10);
    expect(a.timeline.total.reduce((s, n) => s + n, 0)).toBe(5);
    expect(a.timeline.total.length).toBe(74);
  });

  it('uses week buckets for a range of several months', () => {
    const t = new AdaptiveTimeline(120);
    t.add('k', 0);
    t.add('k', 200 * 24 * HOUR);
    expect(t.bucketMs).toBe(7 * 24 * HOUR);
  });

  it('gives every group a sparkline of at most 24 bins that adds up to its count', () => {
    const records: ErrorRecord[] = [];
    for (let i = 0; i < 100; i++) records.push(at(T0 + i * 60_000, i % 3 === 0 ? 'a' : 'b', '1'));
    const a = aggregate(records);
    for (const g of a.groups) {
      expect(g.trend.length).toBeLessThanOrEqual(24);
      expect(g.trend.reduce((s, n) => s + n, 0)).toBe(g.count);
    }
    expect(a.timeline.trendBucketMs % a.timeline.bucketMs).toBe(0);
  });
});

describe('release, environment and request from a collector file', () => {
  it('reads them from the resource and from the HTTP server span of the exception event', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': 'clips-api',
        'service.version': '2.4.1',
        'deployment.environment.name': 'staging',
      }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer('http').startSpan('GET /videos/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/videos/:id',
        'url.path': '/videos/42',
        'http.response.status_code': 502,
      },
    });
    span.recordException(new Error('upstream refused'));
    span.end();
    await provider.forceFlush();
    const line = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()));
    await provider.shutdown();
    const dir = await tempDir();
    const file = join(dir, 'traces.json');
    await writeFile(file, `${line}\n`);
    const a = await aggregateReport({ source: { otlp: [file] }, patterns: false });
    expect(a.byRelease.map((r) => r.release)).toEqual(['2.4.1']);
    expect(a.byEnvironment).toEqual([{ environment: 'staging', count: 1 }]);
    expect(a.byRoute).toEqual([{ route: 'GET /videos/:id', count: 1, fingerprints: 1 }]);
    expect(a.groups[0]?.samples[0]?.request).toEqual({
      method: 'GET',
      route: '/videos/:id',
      path: '/videos/42',
      status: 502,
    });
  });
});
