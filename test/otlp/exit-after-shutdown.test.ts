import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { refusedUrl, startReceiver } from './otlp-receiver.js';

const fixture = fileURLToPath(new URL('./fixtures/exit-after-shutdown.mjs', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the child's call to shutdown() to the parent seeing it end. */
  exitAfterShutdownMs: number;
  shutdownTookMs: number;
  stderr: string;
}

/** Runs the fixture (asynchronously: the receiver lives in this process) and times its exit. */
async function runChild(args: string[]): Promise<Exit> {
  // A child that never ends would fail the test on its timeout; the kill only cleans up.
  const r = await runNode(fixture, args, { killAfterMs: 25_000 });
  const started = Number(/shutdown-start (\d+)/.exec(r.stdout)?.[1] ?? Number.NaN);
  const took = Number(/shutdown-took (\d+)/.exec(r.stdout)?.[1] ?? Number.NaN);
  return {
    code: r.code,
    signal: r.signal,
    exitAfterShutdownMs: r.exitedAt - started,
    shutdownTookMs: took,
    stderr: r.stderr,
  };
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('process exit after shutdown() with OTLP on (exporter timeout 30 s)', () => {
  it('ends on its own with every record stored when the collector refuses connections', async () => {
    const dir = await tempDir();
    const exit = await runChild([await refusedUrl(), dir, '40', '1200']);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.exitAfterShutdownMs).toBeLessThan(6000);
    const lines = await readStoreLines(dir);
    expect(lines.map((r) => r.exception.message).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `upload failed ${i}`).sort(),
    );
  });

  it('ends on its own with every record stored when the collector accepts and never answers', async () => {
    const receiver = await startReceiver('hang');
    cleanup.push(receiver.close);
    const dir = await tempDir();
    const exit = await runChild([receiver.url, dir, '40', '300']);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.exitAfterShutdownMs).toBeLessThan(6000);
    // The exports were really under way (and unanswered) when shutdown() was called.
    expect(receiver.requests.filter((r) => r.path === '/v1/traces').length).toBeGreaterThan(0);
    expect(await readStoreLines(dir)).toHaveLength(40);
  });

  it('honours shutdownTimeoutMs: shutdown() resolves and the process ends by it', async () => {
    const receiver = await startReceiver('hang');
    cleanup.push(receiver.close);
    const dir = await tempDir();
    const exit = await runChild([receiver.url, dir, '5', '300', '200']);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.shutdownTookMs).toBeGreaterThanOrEqual(190);
    // The default bound is 1500 ms: ending well before it shows the option is what applies.
    expect(exit.exitAfterShutdownMs).toBeLessThan(1400);
    expect(exit.stderr).toContain('shutdown took longer than 200 ms');
    expect(await readStoreLines(dir)).toHaveLength(5);
  });
});
