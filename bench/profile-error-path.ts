/**
 * A driver to profile the error path of row 1 (not a benchmark: run-all does not run it).
 * Logs BENCH_PROFILE_ERRORS (50,000) fresh `new Error('boom ' + i)` with the same context as the
 * bench, in bursts of 200 with a setImmediate yield between, then flushes; `pino` as the first
 * argument does the same with pino instead. Profile it and summarise:
 *
 *   npm run build
 *   node --cpu-prof --cpu-prof-interval 100 --cpu-prof-dir .scratch/prof dist/bench/profile-error-path.js
 *   node dist/bench/profile-summary.js .scratch/prof/<file>.cpuprofile --ops 50000 --from … --to … --under logOne
 *
 * The driver prints the `--from`/`--to` window (process.hrtime in µs, the profile's own clock)
 * from the first call until everything is flushed, so start-up and module loading stay out.
 */
import { tmpdir } from 'node:os';
import pino from 'pino';
import { ExportLogger } from '../src/index.js';
import { envInt, tempDir, timedBursts } from './bench-helpers.js';

const N = envInt('BENCH_PROFILE_ERRORS', 50_000, 10_000);
const side = process.argv[2] === 'pino' ? 'pino' : 'ours';
const ctx = (i: number) => ({
  phase: 'ENCODING',
  videoHash: 'v1',
  segment: i,
  codec: 'h264',
  attempt: (i % 3) + 1,
});

const tmp = await tempDir('profile');
const hrUs = () => Number(process.hrtime.bigint() / 1000n);
const from = hrUs();
const cpu0 = process.cpuUsage();
let callerMs: number;
if (side === 'ours') {
  const logger = new ExportLogger({ logFile: `${tmp.dir}/errors.jsonl`, warnOnStderr: false });
  // A named function, so profile-summary --under logOne can tell the caller's path from the rest.
  function logOne(i: number): void {
    logger.logStructuredError(new Error(`boom ${i}`), ctx(i));
  }
  callerMs = await timedBursts(N, 200, logOne);
  await logger.flush();
  await logger.shutdown();
} else {
  const dest = pino.destination({ dest: `${tmp.dir}/pino.log`, sync: false });
  const log = pino(dest);
  function logOne(i: number): void {
    const e = new Error(`boom ${i}`);
    log.error({ err: e, ...ctx(i) }, e.message);
  }
  callerMs = await timedBursts(N, 200, logOne);
  await new Promise<void>((resolve) => dest.flush(() => resolve()));
  dest.end();
}
const cpu = process.cpuUsage(cpu0);
const to = hrUs();
await tmp.remove();
console.log(
  `${side}: ${N} errors, caller ${((callerMs * 1000) / N).toFixed(1)} µs/error, ` +
    `total CPU ${((cpu.user + cpu.system) / N).toFixed(1)} µs/error (temp dir under ${tmpdir()})`,
);
console.log(`profile-summary window: --ops ${N} --from ${from} --to ${to} --under logOne`);
