import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCaptureLimits } from '../../src/capture/capture-limits.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import { Redactor } from '../../src/capture/redactor.js';
import { fingerprintException } from '../../src/grouping/fingerprint.js';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { ATTR_PHASE } from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tracing } from '../helpers/tracing.js';
import { buildCorpus, type CorpusSample } from './error-corpus.js';
import { buildRealErrorCorpus } from './real-error-corpus.js';

interface Grouped {
  label: string;
  fingerprint: string;
}

interface Quality {
  errors: number;
  causes: number;
  groups: number;
  /** Fingerprints holding more than one cause. */
  merges: string[];
  /** Causes spread over more than one fingerprint. */
  splits: string[];
  precision: number;
  recall: number;
}

function quality(items: readonly Grouped[]): Quality {
  const byFp = new Map<string, Set<string>>();
  const byLabel = new Map<string, Set<string>>();
  for (const g of items) {
    byFp.set(g.fingerprint, (byFp.get(g.fingerprint) ?? new Set()).add(g.label));
    byLabel.set(g.label, (byLabel.get(g.label) ?? new Set()).add(g.fingerprint));
  }
  let together = 0;
  let right = 0;
  let same = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const g = items[i]!.fingerprint === items[j]!.fingerprint;
      const c = items[i]!.label === items[j]!.label;
      if (g) together++;
      if (c) same++;
      if (g && c) right++;
    }
  }
  return {
    errors: items.length,
    causes: byLabel.size,
    groups: byFp.size,
    merges: [...byFp].filter(([, l]) => l.size > 1).map(([fp, l]) => `${fp}: ${[...l].join(' + ')}`),
    splits: [...byLabel].filter(([, f]) => f.size > 1).map(([l, f]) => `${l}: ${f.size} groups`),
    precision: together === 0 ? 1 : right / together,
    recall: same === 0 ? 1 : right / same,
  };
}

function line(route: string, q: Quality): string {
  return (
    `grouping v2 via ${route}: ${q.errors} errors, ${q.causes} causes, ${q.groups} groups, ` +
    `merges ${q.merges.length}, splits ${q.splits.length}, ` +
    `pairwise precision ${q.precision.toFixed(3)}, recall ${q.recall.toFixed(3)}`
  );
}

const loggers: ExportLogger[] = [];
function logger(dir: string): ExportLogger {
  const l = new ExportLogger({
    logFile: `${dir}/errors.jsonl`,
    resources: false,
    patterns: false,
    warnOnStderr: false,
    maxLogs: 100_000,
  });
  loggers.push(l);
  return l;
}

describe('fingerprint version 2 on really-triggered errors', () => {
  let fresh: CorpusSample[];
  let all: CorpusSample[];
  let viaApi: ErrorRecord[];
  let viaSpan: ErrorRecord[];

  beforeAll(async () => {
    fresh = await buildRealErrorCorpus(await tempDir('grouping-v2-corpus-'));
    all = [...(await buildCorpus(await tempDir('grouping-v1-corpus-'))), ...fresh];

    // The logger API (logStructuredError).
    const apiDir = await tempDir('grouping-v2-api-');
    const api = logger(apiDir);
    for (const s of all)
      api.logStructuredError(s.thrown, undefined, s.phase === undefined ? {} : { phase: s.phase });
    await api.flush();
    viaApi = await readStoreLines(apiDir);

    // A span's recordException, seen by the span processor (another engine, so nothing counts as seen).
    const spanDir = await tempDir('grouping-v2-span-');
    const spanLogger = logger(spanDir);
    const t = tracing(spanLogger);
    const tracer = trace.getTracer('corpus');
    for (const s of all) {
      tracer.startActiveSpan(s.phase ?? 'job', (span) => {
        if (s.phase !== undefined) span.setAttribute(ATTR_PHASE, s.phase);
        span.recordException(s.thrown as Error);
        span.end();
      });
    }
    await t.provider.forceFlush();
    await spanLogger.flush();
    viaSpan = await readStoreLines(spanDir);
    await t.close();
  }, 120_000);

  afterAll(async () => {
    for (const l of loggers) await l.shutdown();
  });

  it('triggers at least 15 new causes, each at least twice, beyond the first corpus', () => {
    const counts = new Map<string, number>();
    for (const s of fresh) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(15);
    for (const [label, n] of counts) expect(n, label).toBeGreaterThanOrEqual(2);
  });

  it('neither merges nor splits a cause through the logger API', () => {
    expect(viaApi).toHaveLength(all.length);
    expect(viaApi.every((r) => r.source === 'api' && r.fingerprintVersion === '2')).toBe(true);
    const q = quality(viaApi.map((r, i) => ({ label: all[i]!.label, fingerprint: r.fingerprint })));
    console.log(line('logStructuredError', q));
    expect(q.merges).toEqual([]);
    expect(q.splits).toEqual([]);
    expect([q.precision, q.recall]).toEqual([1, 1]);
  });

  it('neither merges nor splits a cause through span.recordException, with the same fingerprints', () => {
    expect(viaSpan).toHaveLength(all.length);
    expect(viaSpan.every((r) => r.source === 'span')).toBe(true);
    const q = quality(viaSpan.map((r, i) => ({ label: all[i]!.label, fingerprint: r.fingerprint })));
    console.log(line('span.recordException', q));
    expect(q.merges).toEqual([]);
    expect(q.splits).toEqual([]);
    expect(viaSpan.map((r) => r.fingerprint)).toEqual(viaApi.map((r) => r.fingerprint));
  });

  it('groups what version 1 split: messages that vary with data at one site, members, depths', () => {
    const limits = resolveCaptureLimits();
    const redactor = new Redactor();
    const v1 = fresh.map((s) => ({
      label: s.label,
      fingerprint: fingerprintException(normalizeThrown(s.thrown, limits, redactor), {
        projectRoot: process.cwd(),
        version: '1',
      }).fingerprint,
    }));
    const q1 = quality(v1);
    console.log(line('version 1 (for comparison, new causes only)', q1).replace('grouping v2 via ', ''));
    const split = q1.splits.map((s) => s.split(':')[0]);
    for (const label of [
      'gunzip-corrupt',
      'dimension-of-missing-dims',
      'promise-all-member',
      'clone-function',
    ])
      expect(split).toContain(label);
    // …and version 1 merged the two throws of one function that share a message.
    expect(q1.merges.some((m) => m.includes('codec-empty') && m.includes('codec-unsupported'))).toBe(true);
  });

  it('puts the lines around each in-app frame in the record, through both entrances', () => {
    const i = all.findIndex((s) => s.label === 'gunzip-corrupt');
    for (const record of [viaApi[i]!, viaSpan[i]!]) {
      const [top] = record.exception.sourceContext ?? [];
      expect(top).toMatchObject({
        function: 'inflateUpload',
        file: 'test/grouping/real-error-corpus.ts',
        context: '  return zlib.gunzipSync(body);',
        pre: ['', 'function inflateUpload(body: Buffer): Buffer {'],
        post: ['}', ''],
      });
    }
    const deep = all.findIndex((s) => s.label === 'recursion-no-duration');
    const frames = viaApi[deep + 2]!.exception.sourceContext!.map((f) => f.function);
    // Depth 6, yet the recursive function appears once.
    expect(frames.filter((f) => f === 'sumDurations')).toHaveLength(1);
  });
});
