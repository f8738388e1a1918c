import type { ErrorRecord } from '../../src/record.js';

let seq = 0;

/** A complete, plausible record; `overrides` replace top-level fields. */
export function makeRecord(overrides: Partial<ErrorRecord> = {}): ErrorRecord {
  seq++;
  return {
    schema: 1,
    id: `rec-${process.pid}-${seq}`,
    time: '2026-11-20T10:00:00.000Z',
    service: { name: 'clips-exporter', version: '1.2.3' },
    process: { pid: 4242, hostname: 'render-01' },
    source: 'api',
    exception: {
      type: 'Error',
      message: 'ffmpeg exited with code 1',
      stacktrace: 'Error: ffmpeg exited with code 1\n    at encode (/app/encode.js:10:5)',
    },
    fingerprint: 'fp-ffmpeg',
    fingerprintVersion: '1',
    messageTemplate: 'ffmpeg exited with code <num>',
    occurrence: 1,
    classification: {
      category: 'ffmpeg',
      severity: 'high',
      retryable: true,
      suggestion: 'Check the codec settings',
      rule: 'ffmpeg-exit',
    },
    phase: 'ENCODING',
    videoHash: '3a7bd3e2f',
    context: { attempt: 1 },
    memory: {
      heapUsed: 50_000_000,
      heapTotal: 80_000_000,
      heapLimit: 200_000_000,
      heapUsedRatio: 0.25,
      rss: 120_000_000,
    },
    resources: {
      'system.memory.utilization': 0.75,
      volumes: [
        {
          paths: ['/tmp'],
          'system.filesystem.available': 100,
          'system.filesystem.limit': 1000,
          'system.filesystem.utilization': 0.9,
        },
      ],
    },
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
    ...overrides,
  };
}

/** Strings that must never execute or become markup, formulas or extra lines anywhere. */
export const PAYLOADS = {
  img: '<img src=x onerror="window.__pwned=1;alert(1)">',
  script: '</script><script>window.__pwned=2;alert(2)</script>',
  comment: '<!-- <script>alert(3)</script>',
  attr: `" onmouseover="alert(4)" x='`,
  js: 'javascript:alert(5)',
  separators: 'line\u2028sep\u2029para',
} as const;

/** A record with a payload in every free-text place: message, stack, type, phase, context keys and values. */
export function hostileRecord(overrides: Partial<ErrorRecord> = {}): ErrorRecord {
  return makeRecord({
    exception: {
      type: `Evil${PAYLOADS.img}`,
      message: `${PAYLOADS.script} ${PAYLOADS.img} ${PAYLOADS.separators}`,
      stacktrace: `Error: ${PAYLOADS.script}\n    at ${PAYLOADS.img} (${PAYLOADS.comment}:1:1)`,
      code: PAYLOADS.attr,
      causes: [{ type: PAYLOADS.img, message: PAYLOADS.script }],
    },
    fingerprint: `fp-${PAYLOADS.attr}`,
    messageTemplate: PAYLOADS.comment,
    phase: `PHASE${PAYLOADS.img}`,
    videoHash: PAYLOADS.script,
    service: { name: PAYLOADS.img },
    context: {
      [PAYLOADS.img]: PAYLOADS.script,
      link: PAYLOADS.js,
      nested: { [PAYLOADS.script]: PAYLOADS.attr },
    },
    classification: {
      category: `cat${PAYLOADS.script}`,
      severity: 'critical',
      retryable: false,
      suggestion: PAYLOADS.img,
      rule: 'x',
    },
    ...overrides,
  });
}
