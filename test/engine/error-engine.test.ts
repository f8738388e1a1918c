import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PatternWarning } from '../../src/grouping/pattern-warning.js';
import { ExportLogger, type ExportLoggerOptions } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { shutDownAfterTest } from '../helpers/test-logger.js';

function make(options: ExportLoggerOptions): ExportLogger {
  return shutDownAfterTest(new ExportLogger({ resources: false, warnOnStderr: false, ...options }));
}

describe('the opt-in flood guard', () => {
  it('stores occurrences up to the rate and counts the rest as folded', async () => {
    const dir = await tempDir();
    const logger = make({ logFile: join(dir, 'e.jsonl'), floodGuard: { maxPerWindow: 5, windowMs: 60_000 } });
    for (let i = 0; i < 20; i++) logger.logStructuredError(new Error(`retry ${i}: EAGAIN`));
    logger.logStructuredError(new TypeError('another cause'));
    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines).toHaveLength(6);
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(21);
    expect(stats.folded).toBe(15);
    expect(stats.mostFrequent[0]?.count).toBe(20);
  });

  it('tells the next stored record, and so the report, how many were folded', async () => {
    const dir = await tempDir();
    const logger = make({ logFile: join(dir, 'e.jsonl'), floodGuard: { maxPerWindow: 5, windowMs: 300 } });
    // One site: version 2 fingerprints tell apart errors made on different lines.
    let next: ErrorRecord | undefined;
    for (let i = 0; i <= 20; i++) {
      if (i === 20) await new Promise((r) => setTimeout(r, 350));
      next = logger.logStructuredError(new Error(`retry ${i}: EAGAIN`));
    }
    expect(next?.foldedBefore).toBe(15);
    const json = JSON.parse(await logger.exportLogs({ format: 'json' })) as {
      totals: { records: number; folded: number };
      groups: Array<{ count: number; folded?: number }>;
    };
    expect(json.totals).toMatchObject({ records: 6, folded: 15 });
    expect(json.groups[0]).toMatchObject({ count: 6, folded: 15 });
  });

  it('is off by default: every occurrence is stored', async () => {
    const dir = await tempDir();
    const logger = make({ logFile: join(dir, 'e.jsonl') });
    for (let i = 0; i < 150; i++) logger.logStructuredError(new Error(`retry ${i}: EAGAIN`));
    await logger.flush();
    expect(await readStoreLines(dir)).toHaveLength(150);
    expect(logger.getErrorStats().folded).toBe(0);
  });

  it('rejects bad guard options at construction', async () => {
    const dir = await tempDir();
    expect(() => make({ logFile: join(dir, 'e.jsonl'), floodGuard: { maxPerWindow: 0 } })).toThrow(
      RangeError,
    );
  });
});

describe('pattern warnings through the logger', () => {
  it('recognises a regression across a restart by reading the store', async () => {
    const dir = await tempDir();
    const logFile = join(dir, 'e.jsonl');
    const warnings: PatternWarning[] = [];
    const later = Date.now() + 7 * 3600_000;
    let second: ExportLogger | undefined;
    let record: ErrorRecord | undefined;
    // The same line fails before and after the restart (version 2 fingerprints hash it).
    for (const restarted of [false, true]) {
      const logger = restarted
        ? make({ logFile, patterns: { now: () => later }, onPattern: (w) => warnings.push(w) })
        : make({ logFile });
      if (restarted) await logger.engine.historyLoaded;
      record = logger.logStructuredError(new Error('moov atom not found in upload'), undefined, {
        phase: 'MUXING',
      });
      if (restarted) second = logger;
      else await logger.shutdown();
    }
    if (second === undefined || record === undefined) throw new Error('the loop ran twice');
    // Patterns are detected as the record completes: after the caller's turn, or on a flush.
    await second.flush();
    expect(warnings.map((w) => [w.kind, w.fingerprint])).toContainEqual(['regression', record.fingerprint]);
    expect(second.getErrorStats().patterns.map((p) => p.kind)).toContain('regression');
  });

  it('warns once on stderr per pattern, however often it recurs', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const logger = make({ logFile: join(dir, 'e.jsonl'), warnOnStderr: true });
      for (let i = 0; i < 200; i++) logger.logStructuredError(new Error('upload refused by 127.0.0.1:9'));
      await logger.flush();
    } finally {
      process.stderr.write = write;
    }
    const recurring = lines.filter((l) => l.includes('recurring'));
    expect(recurring).toHaveLength(1);
  });
});

describe('resource state at the error', () => {
  it('is light (V8 heap spaces only) inside a scope that asks for it, full elsewhere', async () => {
    const dir = await tempDir();
    const logger = make({ logFile: join(dir, 'e.jsonl'), resources: {} });
    const light = logger.logErrors({ phase: 'ENCODING', resources: 'light', rethrow: false }, () =>
      logger.logStructuredError(new Error('hot loop')),
    );
    const full = logger.logStructuredError(new Error('elsewhere'));
    expect(light?.resources?.mode).toBe('light');
    expect(full.resources?.mode).toBeUndefined();
    expect(full.resources?.['memory.trajectory']).toHaveProperty('rss_kib');
    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines.map((l) => l.resources?.mode ?? 'full')).toEqual(['light', 'full']);
  });

  it('links a heap snapshot, written next to the store, from a memory error when snapshots are on', async () => {
    const dir = await tempDir();
    const logger = make({ logFile: join(dir, 'e.jsonl'), resources: { heapSnapshots: { enabled: true } } });
    let memoryError: unknown;
    try {
      new Array(-1);
    } catch (e) {
      memoryError = e;
    }
    const first = logger.logStructuredError(memoryError);
    const other = logger.logStructuredError(new TypeError('not a memory problem'));
    expect(first.classification.category).toBe('memory');
    const snapshot = first.resources?.heap_snapshot;
    expect(typeof snapshot).toBe('string');
    expect(String(snapshot).startsWith(join(dir, 'heap-snapshots'))).toBe(true);
    const { statSync } = await import('node:fs');
    expect(statSync(String(snapshot)).size).toBeGreaterThan(100_000);
    expect(other.resources?.heap_snapshot).toBeUndefined();
    await logger.flush();
    const [line] = await readStoreLines(dir);
    expect(line?.resources?.heap_snapshot).toBe(snapshot);
  });
});
