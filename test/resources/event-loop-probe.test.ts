import { describe, expect, it } from 'vitest';
import { EventLoopProbe } from '../../src/resources/event-loop-probe.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('EventLoopProbe', () => {
  it('sees a synchronous 60 ms block as a delay of at least 40 ms, then starts a new window', async () => {
    const probe = new EventLoopProbe(10);
    probe.start();
    await wait(30);
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // hold the event loop
    }
    await wait(30);
    expect(probe.maxSinceWindow()).toBeGreaterThanOrEqual(40);
    const window = probe.takeWindow();
    expect(window?.max).toBeGreaterThanOrEqual(40);
    expect(window?.p50).toBeLessThanOrEqual(window?.max as number);
    expect(probe.maxSinceWindow()).toBeUndefined();
    probe.stop();
    probe.stop();
  });

  it('with a resolution of 0 measures nothing', async () => {
    const probe = new EventLoopProbe(0);
    probe.start();
    await wait(5);
    expect(probe.maxSinceWindow()).toBeUndefined();
    expect(probe.takeWindow()).toBeUndefined();
    probe.stop();
  });
});
