/** The per-subject state of the pattern detector, and small helpers for warning texts. */
import type { ErrorRecord } from '../record.js';
import type { TimeRing } from './bounded-map.js';

/** Error counts in fixed buckets with an exponentially weighted moving baseline. */
export interface RateState {
  bucketStart: number;
  current: number;
  baseline: number;
  /** Buckets of history behind the current one. */
  buckets: number;
}

/** Everything the detector keeps about one fingerprint: one lookup per record. */
export interface FingerprintState {
  lastSeen: number;
  /** Last `recurring.count` times (recurring). */
  ring: TimeRing | undefined;
  rate: RateState | undefined;
  /** Video hash → last time, most recent last (systemic). */
  videos: Map<string, number> | undefined;
  /** Until when this fingerprint counts as systemic (input-specific leaves it out). */
  systemicUntil: number;
  recurringWarnedAt: number;
  spikeWarnedAt: number;
  systemicWarnedAt: number;
}

export interface VideoEvent {
  t: number;
  fingerprint: string;
  phase: string | undefined;
}

export interface VideoState {
  events: VideoEvent[];
  warnedAt: number;
}

const NEVER = Number.NEGATIVE_INFINITY;

export function newFingerprintState(lastSeen: number): FingerprintState {
  return {
    lastSeen,
    ring: undefined,
    rate: undefined,
    videos: undefined,
    systemicUntil: NEVER,
    recurringWarnedAt: NEVER,
    spikeWarnedAt: NEVER,
    systemicWarnedAt: NEVER,
  };
}

export function newRate(now: number): RateState {
  return { bucketStart: now, current: 0, baseline: 0, buckets: 0 };
}

/** Moves a rate to the bucket of `now` (folding finished and empty buckets into the baseline) and counts one. */
export function countInRate(s: RateState, now: number, bucketMs: number, alpha: number): void {
  if (now - s.bucketStart >= bucketMs) {
    const elapsed = Math.floor((now - s.bucketStart) / bucketMs);
    s.baseline = s.baseline + alpha * (s.current - s.baseline);
    if (elapsed > 1) s.baseline *= (1 - alpha) ** Math.min(elapsed - 1, 1000);
    s.buckets += elapsed;
    s.bucketStart += elapsed * bucketMs;
    s.current = 0;
  } else if (now < s.bucketStart) {
    // The clock went back: restart the bucket rather than count into the future.
    s.bucketStart = now;
  }
  s.current++;
}

/** True when a warning last returned at `last` may be returned again at `now`. */
export function due(last: number, windowMs: number, now: number): boolean {
  return now - last >= windowMs;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function minutes(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 1000).toFixed(1)} s`;
}

export function describe(r: ErrorRecord): string {
  return `${r.exception.type}: ${r.messageTemplate ?? r.exception.message}`;
}

/** Most recent errors remembered per video for the input-specific pattern, at least. */
const MIN_VIDEO_EVENTS = 64;

/** A video's errors within the window, leaving out fingerprints that are systemic now. */
export interface VideoTally {
  count: number;
  first: number;
  phases: Set<string>;
  fingerprints: Set<string>;
}

/**
 * Adds an error to a video's recent events (dropping those past the window or the bound) and
 * counts them; undefined when too few remain to reach either threshold.
 */
/** Keeps `event` in the video's window (bounded in time and count). */
export function addVideoEvent(
  state: VideoState,
  event: VideoEvent,
  o: { errors: number; windowMs: number },
): void {
  const events = state.events;
  events.push(event);
  const now = event.t;
  const maxEvents = Math.max(MIN_VIDEO_EVENTS, 2 * o.errors);
  let drop = 0;
  while (drop < events.length && (now - events[drop]!.t >= o.windowMs || events.length - drop > maxEvents)) {
    drop++;
  }
  if (drop > 0) events.splice(0, drop);
}

export function tallyVideoErrors(
  state: VideoState,
  event: VideoEvent,
  o: { errors: number; phases: number; windowMs: number },
  isSystemic: (fingerprint: string) => boolean,
): VideoTally | undefined {
  addVideoEvent(state, event, o);
  const events = state.events;
  const now = event.t;
  // Neither threshold can be reached with fewer events than the smaller of the two.
  if (events.length < Math.min(o.errors, o.phases)) return undefined;
  const tally: VideoTally = { count: 0, first: now, phases: new Set(), fingerprints: new Set() };
  for (const e of events) {
    if (isSystemic(e.fingerprint)) continue;
    tally.count++;
    if (e.t < tally.first) tally.first = e.t;
    if (e.phase !== undefined) tally.phases.add(e.phase);
    tally.fingerprints.add(e.fingerprint);
  }
  return tally;
}
