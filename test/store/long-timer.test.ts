import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextLocalMidnight } from '../../src/store/local-day.js';
import { MAX_TIMER_CHUNK_MS, setLongTimeout } from '../../src/store/long-timer.js';

const DAY = 86_400_000;

describe('setLongTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a 30-day delay (beyond 2^31-1 ms) does not fire early, and fires once when due', () => {
    vi.useFakeTimers({ now: 0 });
    const fn = vi.fn();
    setLongTimeout(fn, 30 * DAY);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(29 * DAY);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * DAY);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never arms a Node timer longer than 24 h, so no TimeoutOverflowWarning is possible', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const timer = setLongTimeout(() => {}, 2 ** 31 + 5000);
    expect(spy.mock.calls.map((c) => c[1])).toEqual([MAX_TIMER_CHUNK_MS]);
    timer.cancel();
    spy.mockRestore();
  });

  it('cancel stops it', () => {
    vi.useFakeTimers({ now: 0 });
    const fn = vi.fn();
    setLongTimeout(fn, 3 * DAY).cancel();
    vi.advanceTimersByTime(4 * DAY);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('nextLocalMidnight', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  it('ends 23-hour and 25-hour days at the real local midnight', () => {
    process.env.TZ = 'Europe/Berlin';
    const spring = new Date(2026, 2, 29, 0, 30).getTime();
    expect(nextLocalMidnight(spring) - spring).toBe(22.5 * 3_600_000);
    const fall = new Date(2026, 9, 25, 0, 30).getTime();
    expect(nextLocalMidnight(fall) - fall).toBe(24.5 * 3_600_000);
    expect(new Date(nextLocalMidnight(fall)).getDate()).toBe(26);
  });
});
