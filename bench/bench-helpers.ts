/** Helpers shared by the benchmarks (not a benchmark itself: run-all only runs `*.bench.js`). */

/** The middle value (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Nanoseconds per call of `fn` over `n` calls; the results are kept alive so none is optimized away. */
export function nsPerOp(n: number, fn: (i: number) => unknown): number {
  let sink: unknown;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  if (sink === Symbol.for('never')) console.log(sink);
  return ns;
}
