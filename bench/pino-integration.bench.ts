/**
 * The pino integration on the logging thread, against pino alone in the same run:
 * - `log.error({ err, ...ctx }, msg)` with `errorInsightPinoHooks()` (each call also records)
 *   against the same call without the hooks, both to an async `pino.destination` file;
 * - `log.info(ctx, msg)`, which the hooks pass on untouched: the cost they add to other logs.
 * The caller's time is summed over bursts of 200 calls with a `setImmediate` yield between, as
 * in error-path.bench. Build first; `node --expose-gc dist/bench/pino-integration.bench.js`.
 */
import { once } from 'node:events';
import { type LogFn, pino } from 'pino';
import { ExportLogger, errorInsightPinoHooks } from '../src/index.js';
import { envInt, median, reportRow, tempDir, timedBursts } from './bench-helpers.js';

const N = envInt('BENCH_PINO_LOGS', 20_000, 3_000);
const ROUNDS = envInt('BENCH_ROUNDS', 5, 2);
const BURST = 200;

type Logger = { error: LogFn; info: LogFn };
type Level = 'error' | 'info';

function logCall(log: Logger, level: Level, i: number): void {
  const ctx = { videoHash: 'v1', segment: i, codec: 'h264' };
  if (level === 'error')
    log.error({ err: new Error(`upload failed part ${i % 7}`), ...ctx }, 'upload failed');
  else log.info(ctx, 'segment done');
}

async function destinationLogger(dir: string, hooks?: ReturnType<typeof errorInsightPinoHooks>) {
  const dest = pino.destination({ dest: `${dir}/pino.log`, sync: false, mkdir: true });
  await once(dest, 'ready');
  return { log: pino(hooks === undefined ? {} : { hooks }, dest), dest };
}

/** Caller's ns per call with and without the hooks, alternating rounds. */
async function hookRounds(level: Level): Promise<{ hooked: number[]; plain: number[] }> {
  const hooked: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const withHooks of [false, true]) {
      const tmp = await tempDir('pino-hook');
      const logger = new ExportLogger({ logFile: `${tmp.dir}/store/errors.jsonl`, warnOnStderr: false });
      const { log, dest } = await destinationLogger(
        tmp.dir,
        withHooks ? errorInsightPinoHooks({ logger }) : undefined,
      );
      const ms = await timedBursts(N, BURST, (i) => logCall(log, level, i));
      (withHooks ? hooked : plain).push((ms * 1e6) / N);
      await logger.shutdown();
      dest.flushSync();
      dest.end();
      await tmp.remove();
    }
  }
  return { hooked, plain };
}

const errors = await hookRounds('error');
reportRow({
  id: 'pino.hook-error',
  label: 'pino error log with the hooks (records it), caller',
  unit: 'ns',
  ours: median(errors.hooked),
  peer: median(errors.plain),
  peerName: 'pino alone',
  n: N,
  rounds: ROUNDS,
  detail: { hooked: errors.hooked, plain: errors.plain },
});
const infos = await hookRounds('info');
reportRow({
  id: 'pino.hook-info',
  label: 'pino info log with the hooks (passed on), caller',
  unit: 'ns',
  ours: median(infos.hooked),
  peer: median(infos.plain),
  peerName: 'pino alone',
  target: '≤ 1.10',
  ok: median(infos.hooked) <= 1.1 * median(infos.plain),
  n: N,
  rounds: ROUNDS,
  detail: { hooked: infos.hooked, plain: infos.plain },
});
