import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_LIMITS } from '../../src/capture/capture-limits.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import { Redactor } from '../../src/capture/redactor.js';
import { ExceptionClassifier } from '../../src/classify/exception-classifier.js';

const classifier = new ExceptionClassifier();

async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected the work to fail');
}

function verdict(err: unknown) {
  const c = classifier.classify(err).toJSON();
  return { category: c.category, retryable: c.retryable };
}

describe('timeouts and aborts', () => {
  it("AbortSignal.timeout() is a retryable timeout, through Node's own APIs too", async () => {
    const viaTimers = await thrownBy(() => sleep(10_000, null, { signal: AbortSignal.timeout(5) }));
    const viaEvents = await thrownBy(() =>
      once(new EventEmitter(), 'never', { signal: AbortSignal.timeout(5) }),
    );
    const signal = AbortSignal.timeout(1);
    await sleep(20);
    for (const err of [viaTimers, viaEvents, signal.reason]) {
      expect(verdict(err)).toEqual({ category: 'timeout', retryable: true });
    }
    // The same verdict from the stored record's exception (the cause chain kept as `causes`).
    const stored = normalizeThrown(viaTimers, DEFAULT_CAPTURE_LIMITS, new Redactor());
    expect(stored.causes?.[0]?.type).toBe('TimeoutError');
    expect(verdict(stored)).toEqual({ category: 'timeout', retryable: true });
  });

  it("an abort by the app's own AbortController stays a non-retryable abort", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    const viaTimers = await thrownBy(() => sleep(10_000, null, { signal: controller.signal }));
    const early = new AbortController();
    early.abort();
    for (const err of [viaTimers, early.signal.reason]) {
      expect(verdict(err)).toEqual({ category: 'aborted', retryable: false });
    }
  });
});
