import type { ReportStat } from './report-aggregation.js';

/** Running min/max/sum of one figure; constant memory. */
export class StatAccumulator {
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  sum = 0;

  add(value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The summary, or undefined when no occurrence carried the figure. */
  toJSON(): ReportStat | undefined {
    if (this.count === 0) return undefined;
    return { count: this.count, min: this.min, max: this.max, mean: this.sum / this.count };
  }
}

/** A summary that is never undefined, for figures every record carries. */
export function statOrZero(stat: StatAccumulator): ReportStat {
  return stat.toJSON() ?? { count: 0, min: 0, max: 0, mean: 0 };
}
