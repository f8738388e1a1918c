/**
 * Everything the report keeps about one fingerprint while it streams: counts, capped sets,
 * running statistics and a few samples (the first two and the latest). Constant memory per
 * fingerprint, whatever the number of occurrences.
 *
 * A sample read from a store is kept as its line's text, outside the JS heap, and parsed when
 * the group is published: a group's latest record changes with nearly every occurrence, and
 * keeping the record itself meant that each of a million records lived until the next one of
 * its group (10,000 records later with 10,000 groups), long enough to be copied into the old
 * generation; that copying and the old generation it grew were most of a report's time and
 * memory (measured).
 */
import type { ErrorRecord } from '../record.js';
import { environmentOf, releaseOf, routeOf } from '../record-dimensions.js';
import { TextSlot } from '../store/text-slot.js';
import { CappedSet, countCapped } from './capped-set.js';
import { diskUsedRatio, phaseElapsedMs, systemMemoryUsedRatio } from './record-figures.js';
import { type ReleaseCount, ReleaseCounts } from './release-history.js';
import type { ReportGroup, ReportSample } from './report-aggregation.js';
import { StatAccumulator, statOrZero } from './stat-accumulator.js';

const FIRST_SAMPLES = 2;
const MAX_VIDEOS_PER_GROUP = 1_000;
/** Distinct phases (and other per-group keys) kept before the rest fold into `(other)`. */
export const MAX_PHASES = 100;
const MAX_CODES = 20;
/** Distinct services and hosts kept per group. */
export const MAX_NAMES = 20;

function toSample(
  record: ErrorRecord,
  elapsed: number | undefined,
  disk: number | undefined,
  systemMemory: number | undefined,
): ReportSample {
  const e = record.exception;
  const sample: ReportSample = {
    id: record.id,
    time: record.time,
    service: record.service.name,
    host: record.process.hostname,
    pid: record.process.pid,
    type: e.type,
    message: e.message,
    memory: record.memory,
  };
  if (record.phase !== undefined) sample.phase = record.phase;
  if (record.videoHash !== undefined) sample.videoHash = record.videoHash;
  const release = releaseOf(record);
  if (release !== undefined) sample.release = release;
  const environment = environmentOf(record);
  if (environment !== undefined) sample.environment = environment;
  if (record.request !== null && typeof record.request === 'object') sample.request = record.request;
  if (e.code !== undefined) sample.code = e.code;
  if (e.stacktrace !== undefined) sample.stacktrace = e.stacktrace;
  if (e.causes !== undefined) sample.causes = e.causes;
  if (e.sourceContext !== undefined) sample.sourceContext = e.sourceContext;
  if (record.context !== undefined) sample.context = record.context;
  if (record.resources !== undefined) sample.resources = record.resources;
  if (record.trace !== undefined) sample.trace = record.trace;
  if (Array.isArray(record.breadcrumbs)) sample.breadcrumbs = record.breadcrumbs;
  if (elapsed !== undefined) sample.phaseElapsedMs = elapsed;
  if (disk !== undefined) sample.diskUsedRatio = disk;
  if (systemMemory !== undefined) sample.systemMemoryUsedRatio = systemMemory;
  return sample;
}

/** What the aggregator works out for a group from the whole report. */
export interface GroupHistory {
  releaseOrder: readonly string[];
  isNew: boolean;
  regressed: ReportGroup['regressed'];
  trend: number[];
}

/** The sample of a record parsed back from its kept line (UTF-8 bytes or a slot). */
function sampleOfLine(line: Buffer | TextSlot): ReportSample {
  const r = JSON.parse(line instanceof TextSlot ? line.text : line.toString('utf8')) as ErrorRecord;
  return toSample(
    r,
    phaseElapsedMs(r, Date.parse(r.time)),
    diskUsedRatio(r.resources),
    systemMemoryUsedRatio(r.resources),
  );
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** What a group shows of its first occurrence: a few strings, not the whole record. */
export interface GroupIdentity {
  type: string;
  message: string;
  messageTemplate: string | undefined;
  fingerprintVersion: string | undefined;
  classification: ErrorRecord['classification'];
}

/** One fingerprint's accumulated state. */
export class GroupAccumulator {
  count = 0;
  /** Occurrences the writer's flood guard counted but did not store. */
  folded = 0;
  firstMs = Number.POSITIVE_INFINITY;
  lastMs = Number.NEGATIVE_INFINITY;
  firstSeen = '';
  lastSeen = '';
  private readonly phases = new Map<string, number>();
  private readonly routes = new Map<string, number>();
  /** Per release; read by the aggregator against the report's release order. */
  readonly releases = new ReleaseCounts();
  private readonly environments = new CappedSet(MAX_NAMES);
  private readonly videos = new CappedSet(MAX_VIDEOS_PER_GROUP);
  private readonly services = new CappedSet(MAX_NAMES);
  private readonly hosts = new CappedSet(MAX_NAMES);
  private codes: Map<string, number> | undefined;
  private readonly heapUsed = new StatAccumulator();
  private readonly heapUsedRatio = new StatAccumulator();
  private readonly rss = new StatAccumulator();
  private readonly disk = new StatAccumulator();
  private readonly systemMemory = new StatAccumulator();
  private readonly elapsed = new StatAccumulator();
  /** The first samples: a line's UTF-8 bytes, or the sample of a record that came without one. */
  private readonly samples: (ReportSample | Buffer)[] = [];
  // The latest record: its line in `latestLine` when it came with one, else the record itself
  // (its sample is built once at the end rather than on every add).
  private latest: ErrorRecord | undefined;
  private latestLine: TextSlot | undefined;
  private latestInLine = false;
  private latestMs = Number.NEGATIVE_INFINITY;

  readonly first: GroupIdentity;

  constructor(first: ErrorRecord) {
    this.first = {
      type: first.exception.type,
      message: first.exception.message,
      messageTemplate: first.messageTemplate,
      fingerprintVersion: typeof first.fingerprintVersion === 'string' ? first.fingerprintVersion : undefined,
      classification: first.classification,
    };
  }

  /** Adds one occurrence. */
  add(
    record: ErrorRecord,
    timeMs: number,
    phase: string,
    video = record.videoHash,
    route = routeOf(record),
    release = releaseOf(record),
    line?: string,
  ): void {
    this.count++;
    if (typeof record.foldedBefore === 'number' && record.foldedBefore > 0)
      this.folded += record.foldedBefore;
    if (timeMs < this.firstMs || this.firstSeen === '') {
      this.firstMs = timeMs;
      this.firstSeen = record.time;
    }
    if (timeMs > this.lastMs || this.lastSeen === '') {
      this.lastMs = timeMs;
      this.lastSeen = record.time;
    }
    countCapped(this.phases, phase, MAX_PHASES);
    countCapped(this.routes, route, MAX_PHASES);
    if (release !== undefined) this.releases.add(release, timeMs);
    this.environments.add(environmentOf(record));
    this.videos.add(video);
    this.services.add(record.service.name);
    this.hosts.add(record.process.hostname);
    if (record.exception.code !== undefined) {
      this.codes ??= new Map();
      countCapped(this.codes, record.exception.code, MAX_CODES);
    }
    const m = record.memory;
    this.heapUsed.add(m.heapUsed);
    this.heapUsedRatio.add(m.heapUsedRatio);
    this.rss.add(m.rss);
    const resources = record.resources;
    const disk = resources === undefined ? undefined : diskUsedRatio(resources);
    const systemMemory = resources === undefined ? undefined : systemMemoryUsedRatio(resources);
    this.disk.add(disk);
    this.systemMemory.add(systemMemory);
    const elapsed = phaseElapsedMs(record, timeMs);
    this.elapsed.add(elapsed);
    if (this.samples.length < FIRST_SAMPLES) {
      this.samples.push(
        line === undefined ? toSample(record, elapsed, disk, systemMemory) : Buffer.from(line, 'utf8'),
      );
    } else if (timeMs >= this.latestMs) {
      this.latestMs = timeMs;
      if (line === undefined) {
        this.latest = record;
        this.latestInLine = false;
      } else {
        this.latestLine ??= new TextSlot();
        this.latestLine.set(line);
        this.latest = undefined;
        this.latestInLine = true;
      }
    }
  }

  private latestSample(): ReportSample | undefined {
    if (this.latestInLine && this.latestLine !== undefined) return sampleOfLine(this.latestLine);
    const r = this.latest;
    if (r === undefined) return undefined;
    return toSample(
      r,
      phaseElapsedMs(r, this.latestMs),
      diskUsedRatio(r.resources),
      systemMemoryUsedRatio(r.resources),
    );
  }

  /** The group as the aggregation publishes it; `history` is what the aggregator read across groups. */
  result(fingerprint: string, similar: string[], history: GroupHistory): ReportGroup {
    const first = this.first;
    const c = first.classification;
    const group: ReportGroup = {
      fingerprint,
      count: this.count,
      ...(this.folded > 0 ? { folded: this.folded } : {}),
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      type: first.type,
      message: first.message,
      category: c.category,
      severity: c.severity,
      retryable: c.retryable,
      suggestion: c.suggestion,
      phases: Object.fromEntries(this.phases),
      routes: Object.fromEntries(this.routes),
      releases: history.releaseOrder
        .filter((r) => this.releases.byRelease.has(r))
        .map((release) => {
          const r = this.releases.byRelease.get(release) as ReleaseCount;
          return { release, count: r.count, firstSeen: iso(r.firstMs), lastSeen: iso(r.lastMs) };
        }),
      environments: [...this.environments.values],
      isNew: history.isNew,
      ...(history.regressed === undefined ? {} : { regressed: history.regressed }),
      trend: history.trend,
      videos: this.videos.size,
      videosCapped: this.videos.capped,
      videoSample: this.videos.first(20),
      services: [...this.services.values],
      hosts: [...this.hosts.values],
      codes: this.codes === undefined ? {} : Object.fromEntries(this.codes),
      heapUsed: statOrZero(this.heapUsed),
      heapUsedRatio: statOrZero(this.heapUsedRatio),
      similar,
      samples: this.samples.map((s) => (Buffer.isBuffer(s) ? sampleOfLine(s) : s)),
    };
    const latest = this.latestSample();
    if (latest !== undefined) group.samples.push(latest);
    if (first.messageTemplate !== undefined) group.messageTemplate = first.messageTemplate;
    if (first.fingerprintVersion !== undefined) group.fingerprintVersion = first.fingerprintVersion;
    if (c.subcategory !== undefined) group.subcategory = c.subcategory;
    const rss = this.rss.toJSON();
    if (rss !== undefined) group.rss = rss;
    const disk = this.disk.toJSON();
    if (disk !== undefined) group.diskUsedRatio = disk;
    const mem = this.systemMemory.toJSON();
    if (mem !== undefined) group.systemMemoryUsedRatio = mem;
    const elapsed = this.elapsed.toJSON();
    if (elapsed !== undefined) group.phaseElapsedMs = elapsed;
    return group;
  }
}
