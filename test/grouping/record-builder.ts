import type { ErrorRecord } from '../../src/record.js';

let seq = 0;

/** A complete error record for grouping tests; `over` replaces top-level fields. */
export function makeRecord(over: Partial<ErrorRecord> = {}): ErrorRecord {
  seq++;
  return {
    schema: 1,
    id: `rec-${seq}`,
    time: new Date(1_700_000_000_000 + seq).toISOString(),
    service: { name: 'grouping-test' },
    process: { pid: 1000, hostname: 'host-a' },
    source: 'api',
    exception: { type: 'Error', message: 'boom' },
    fingerprint: 'fp-a',
    fingerprintVersion: '1',
    messageTemplate: 'boom',
    occurrence: 0,
    classification: {
      category: 'unknown',
      severity: 'medium',
      retryable: false,
      suggestion: '',
      rule: 'test',
    },
    memory: { heapUsed: 10, heapTotal: 20, heapLimit: 100, heapUsedRatio: 0.1 },
    ...over,
  };
}

/** A controllable clock. */
export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  readonly now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
  iso(): string {
    return new Date(this.t).toISOString();
  }
}
