/**
 * Pattern warnings for a report: the grouping's PatternDetector replayed over stored records
 * with the records' own times as its clock, so windows mean what they meant when the errors
 * happened. "new" is off: in a replay every fingerprint is new once the warm-up has passed.
 */
import { PatternDetector, type PatternDetectorOptions } from '../grouping/pattern-detector.js';
import type { ErrorRecord } from '../record.js';
import type { PatternObserver } from './report-aggregator.js';

/** An observer that feeds each record to a fresh detector, clocked by record time. */
export function createReplayPatternObserver(options: PatternDetectorOptions = {}): PatternObserver {
  let clock = Number.NaN;
  let started = false;
  let detector: PatternDetector | undefined;
  return (record: ErrorRecord, timeMs: number) => {
    if (Number.isFinite(timeMs)) clock = timeMs;
    if (!started) {
      started = true;
      detector = new PatternDetector({ new: false, ...options, now: () => clock });
    }
    return detector?.observe(record) ?? [];
  };
}
