import { afterEach, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { BatchDelivery } from '../../src/otlp/batch-delivery.js';
import { ExportCounters } from '../../src/otlp/export-counters.js';
import { ExportGate } from '../../src/otlp/export-gate.js';
import { MAX_QUEUED_LOG_RECORDS, MemoryLogExporter } from '../../src/otlp/memory-log-exporter.js';
import type { LogSender, LogSendResult } from '../../src/otlp/otlp-log-sender.js';
import type { ErrorRecord } from '../../src/record.js';
import { makeRecord } from '../report/report-fixtures.js';

afterEach(() => setDiagnosticWriter());

/** A collector that answers with `answers` in turn (the last one from then on), recording what it got. */
function collector(...answers: LogSendResult[]): LogSender & { got: string[] } {
  let n = 0;
  const got: string[] = [];
  return {
    got,
    send: async (records: readonly ErrorRecord[]) => {
      got.push(...records.map((r) => r.id));
      // A request takes a moment, as over a socket.
      await new Promise((resolve) => setTimeout(resolve, 10));
      return answers[Math.min(n++, answers.length - 1)]!;
    },
    shutdown: () => {},
  };
}

const AWAY: LogSendResult = { status: 'retryable' };
const OK: LogSendResult = { status: 'success', rejected: 0 };

function exporter(sender: LogSender, delayMs = 10) {
  setDiagnosticWriter(() => {});
  const counters = new ExportCounters();
  const gate = new ExportGate();
  const delivery = new BatchDelivery(async () => sender, gate, counters, 50);
  return { counters, gate, exp: new MemoryLogExporter(delivery, () => true, counters, 100, delayMs) };
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('the in-memory log record exporter', () => {
  it('lets overlapping flushes each end with their last attempt while the collector is away', async () => {
    const sender = collector(AWAY);
    const { exp, counters } = exporter(sender, 60_000);
    exp.notify(makeRecord({ id: 'r1' }));
    const first = exp.forceFlush();
    // The second starts while the first one's attempt is in flight, and ends after it.
    await new Promise((resolve) => setImmediate(resolve));
    const second = exp.forceFlush();
    await Promise.all([first, second]);
    expect(counters.snapshot().queued).toBe(1);
  });

  it('tries a batch again after a failed flush, without waiting for another record', async () => {
    const sender = collector(AWAY, OK);
    const { exp, counters } = exporter(sender);
    exp.notify(makeRecord({ id: 'r1' }));
    await exp.forceFlush();
    expect(counters.sentLogRecords).toBe(0);
    await until(() => counters.sentLogRecords === 1);
    expect(sender.got).toEqual(['r1', 'r1']);
    expect(counters.snapshot().queued).toBe(0);
  });

  it(`keeps at most ${MAX_QUEUED_LOG_RECORDS} records and counts the ones it turns away`, async () => {
    const sender = collector(AWAY);
    const { exp, counters } = exporter(sender, 60_000);
    for (let i = 0; i < MAX_QUEUED_LOG_RECORDS + 7; i++) exp.notify(makeRecord({ id: `r${i}` }));
    expect(counters.snapshot().queued).toBe(MAX_QUEUED_LOG_RECORDS);
    expect(counters.droppedLogRecords).toBe(7);
    await exp.shutdown();
  });
});
