/**
 * Cost of capturing one error, against pino in the same run (not a test: it prints figures).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/capture.bench.js
 *
 * Variants, run interleaved for ROUNDS rounds (median and quartiles of ns per error):
 * - capture: normalizeThrown + toBoundedJson of a small context (what the engine does per error);
 * - capture+fit+json: the same, then fitRecordToJson (one JSON.stringify, the line to write);
 * - pino err serializer: pino.stdSerializers.err + JSON.stringify of the error and context;
 * - pino line: logger.error({ err, ...context }) into a stream that drops the line.
 * Also one cold capture of a hostile context (process and globalThis) and of a 100k-frame stack.
 */
import pino from 'pino';
import { toBoundedJson } from '../src/capture/bounded-json.js';
import { DEFAULT_CAPTURE_LIMITS } from '../src/capture/capture-limits.js';
import { fitRecordToJson } from '../src/capture/fit-record.js';
import { normalizeThrown } from '../src/capture/normalize-thrown.js';
import { Redactor } from '../src/capture/redactor.js';
import type { JsonObject } from '../src/record.js';
import { nsPerOp } from './bench-helpers.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 2_000);

const limits = DEFAULT_CAPTURE_LIMITS;
const redactor = new Redactor();

class EncodeError extends Error {
  override name = 'EncodeError';
  code = 'ERR_FFMPEG';
  exitCode = 1;
}

function typicalError(): Error {
  const err = new EncodeError('ffmpeg exited with code 1 while encoding video 3a7bd3e2f (segment 12 of 40)', {
    cause: Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', syscall: 'write' }),
  });
  void err.stack;
  return err;
}

const err = typicalError();
const context = {
  phase: 'ENCODING',
  videoHash: '3a7bd3e2f',
  attempt: 2,
  options: { codec: 'h264', bitrate: 4000, size: [1920, 1080], preset: 'veryfast' },
  user: { id: 42, plan: 'pro' },
};

const dropLine = { write: (_line: string) => {} };
const logger = pino({ level: 'error' }, dropLine);

const variants: Record<string, () => unknown> = {
  capture: () => {
    normalizeThrown(err, limits, redactor);
    return toBoundedJson(context, limits, redactor);
  },
  'capture+fit+json': () => {
    const record = {
      exception: normalizeThrown(err, limits, redactor),
      context: toBoundedJson(context, limits, redactor) as JsonObject,
    };
    return fitRecordToJson(record, limits.maxRecordBytes).json;
  },
  'pino err serializer': () => JSON.stringify({ err: pino.stdSerializers.err(err), ...context }),
  'pino line': () => logger.error({ err, ...context }, 'encode failed'),
};

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const at = (xs: number[], q: number): number => sorted(xs)[Math.floor(q * (xs.length - 1))]!;

async function main(): Promise<void> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) nsPerOp(PER_ROUND, variants[name]!);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      samples[name]!.push(nsPerOp(PER_ROUND, variants[name]!));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const peer = at(samples['pino line']!, 0.5);
  console.log(`capture cost per error (ns), ${ROUNDS} rounds × ${PER_ROUND}, node ${process.version}`);
  for (const name of names) {
    const xs = samples[name]!;
    const median = at(xs, 0.5);
    console.log(
      `${name.padEnd(22)} median ${median.toFixed(0).padStart(7)}  q1 ${at(xs, 0.25).toFixed(0).padStart(7)}  q3 ${at(xs, 0.75).toFixed(0).padStart(7)}  × pino line ${(median / peer).toFixed(2)}`,
    );
  }

  const hostile = { proc: process, glob: globalThis };
  let t = process.hrtime.bigint();
  const bytes = Buffer.byteLength(JSON.stringify(toBoundedJson(hostile, limits, redactor)));
  console.log(
    `process+globalThis as context: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(2)} ms, ${bytes} bytes`,
  );

  const frames = Array.from({ length: 100_000 }, (_, n) => `    at f${n} (/app/src/deep.js:${n}:1)`);
  const deep = Object.defineProperty(new Error('deep'), 'stack', {
    value: `Error: deep\n${frames.join('\n')}`,
  });
  t = process.hrtime.bigint();
  normalizeThrown(deep, limits, redactor);
  console.log(`100k-frame stack: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(2)} ms`);
}

await main();
