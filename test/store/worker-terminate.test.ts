import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = fileURLToPath(new URL('./fixtures/worker-logger.mjs', import.meta.url));

describe('a worker thread terminated right after it logged', () => {
  it('loses none of its records: in a worker each record is written as it is logged', async () => {
    const dir = await tempDir();
    const count = 300;
    const worker = new Worker(fixture, { workerData: { dir, count } });
    const said = await new Promise<{ logged: number; stats: { written: number; pending: number } }>(
      (resolve, reject) => {
        worker.once('message', (m) => {
          // At once, as a pool does when a task reports back.
          void worker.terminate();
          resolve(m);
        });
        worker.once('error', reject);
      },
    );
    const exitCode = await new Promise<number>((resolve) => worker.once('exit', resolve));
    expect(exitCode).toBe(1);
    expect(said.stats).toMatchObject({ written: count, pending: 0 });
    const records = await readStoreLines(dir);
    expect(records.map((r) => (r.context as { i: number }).i)).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
  });
});
