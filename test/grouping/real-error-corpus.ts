/**
 * A second labelled corpus of really-triggered errors, for fingerprint version 2: causes where
 * version 1 split or merged (messages that vary with data at one site, promise combinators,
 * recursion, two throws in one function, V8 pseudo-frames), plus fs, zlib, child processes,
 * fetch, dependency frames and custom error classes. Each cause is one place in the code, reached
 * from one call line with several inputs (files, ports, depths, members, fields), as a service
 * hits it again and again with different data.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { type CorpusSample, closedPorts } from './error-corpus.js';

// ---- sites ------------------------------------------------------------------------------------

function inflateUpload(body: Buffer): Buffer {
  return zlib.gunzipSync(body);
}

function inflateChunk(body: Buffer): Buffer {
  return zlib.inflateSync(body);
}

function createWorkDir(path: string): void {
  fs.mkdirSync(path);
}

function removeSegmentDir(path: string): void {
  fs.rmdirSync(path);
}

function claimLock(path: string): number {
  return fs.openSync(path, 'wx');
}

async function readSubtitleFile(path: string): Promise<string> {
  return await readFile(path, 'utf8');
}

async function loadSubtitles(path: string): Promise<string[]> {
  const text = await readSubtitleFile(path);
  return text.split('\n');
}

function probeDuration(exitCode: number, clip: string): void {
  execFileSync(process.execPath, ['-e', `process.exit(${exitCode})`, clip], { stdio: 'ignore' });
}

function runTool(binary: string): void {
  const r = spawnSync(binary, ['--version']);
  if (r.error) throw r.error;
}

async function pingRenderer(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return res.status;
}

async function encodeSegment(segment: { name: string; broken: boolean }): Promise<string> {
  await sleep(1);
  if (segment.broken) throw new Error(`segment ${segment.name} has no keyframe`);
  return segment.name;
}

async function encodeAll(segments: Array<{ name: string; broken: boolean }>): Promise<string[]> {
  return await Promise.all(segments.map((s) => encodeSegment(s)));
}

interface Scene {
  id: string;
  duration?: number;
  next?: Scene;
}

function sumDurations(scene: Scene): number {
  if (scene.duration === undefined) throw new TypeError(`scene ${scene.id} has no duration`);
  return scene.duration + (scene.next === undefined ? 0 : sumDurations(scene.next));
}

function parseCueSheet(text: string): unknown[] {
  return parseCsv(text);
}

class RenderJobError extends Error {
  override name = 'RenderJobError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function failJob(code: string, detail: string): never {
  throw new RenderJobError(code, `render job refused: ${detail}`);
}

class ManifestError extends Error {
  override name = 'ManifestError';
}

function requireTrack(manifest: { tracks: string[] }, track: string): void {
  if (!manifest.tracks.includes(track)) throw new ManifestError(`manifest lacks the ${track} track`);
}

interface Video {
  dims?: Record<string, number>;
}

function readDimension(video: Video, field: string): number {
  return (video.dims as Record<string, number>)[field]!;
}

function snapshotJob(job: unknown): unknown {
  return structuredClone(job);
}

function parseFrameCount(text: string): bigint {
  return BigInt(text);
}

function padLabel(width: number): string {
  return ' '.repeat(width);
}

function allocateAudio(bytes: number): Buffer {
  return Buffer.alloc(bytes);
}

function totalBitrate(bitrates: number[]): number {
  return bitrates.reduce((a, b) => a + b);
}

function evaluateRule(expression: string, scope: unknown): unknown {
  return new Function('scope', `return ${expression};`)(scope);
}

function waitForSlot(jobs: number): Promise<void> {
  return new Promise((resolve) => {
    if (jobs > 2) throw new Error(`no encoder slot for ${jobs} jobs`);
    resolve();
  });
}

const SUPPORTED_CODECS = new Set(['h264', 'hevc', 'av1']);

function checkCodec(codec: string): void {
  if (codec.trim() === '') throw new Error('invalid codec');
  if (!SUPPORTED_CODECS.has(codec)) throw new Error('invalid codec');
}

function serializeJob(job: unknown): string {
  return JSON.stringify(job);
}

async function waitBackoff(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal });
}

// ---- helpers ------------------------------------------------------------------------------------

async function each<T>(
  out: CorpusSample[],
  label: string,
  inputs: readonly T[],
  fn: (input: T) => unknown,
): Promise<void> {
  for (const input of inputs) {
    let thrown: unknown;
    let threw = false;
    try {
      await fn(input);
    } catch (err) {
      thrown = err;
      threw = true;
    }
    if (!threw) throw new Error(`corpus case ${label} did not fail for ${String(input)}`);
    out.push({ label, thrown });
  }
}

function corruptGzips(): Buffer[] {
  const good = zlib.gzipSync('frame index 0 1 2 3 4 5 6 7 8 9');
  const badCrc = Buffer.from(good);
  badCrc[badCrc.length - 8]! ^= 0xff;
  const badMethod = Buffer.from(good);
  badMethod[2] = 9;
  const badBlock = Buffer.from(good);
  badBlock[10] = 0xff;
  badBlock[11] = 0xff;
  return [Buffer.from('plain text, not gzip'), badCrc, badMethod, badBlock, Buffer.from('{"json":true}')];
}

/** Builds the corpus under `dir` (created files and directories stay there). */
export async function buildRealErrorCorpus(dir: string): Promise<CorpusSample[]> {
  const out: CorpusSample[] = [];
  const file = (name: string, text = 'x') => {
    const p = join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const fullDir = (name: string) => {
    const p = join(dir, name);
    fs.mkdirSync(p, { recursive: true });
    fs.writeFileSync(join(p, 'seg-000.ts'), 'x');
    return p;
  };

  // zlib: one call, one code, several messages (incorrect header check, incorrect data check…).
  await each(out, 'gunzip-corrupt', corruptGzips(), (b) => inflateUpload(b));
  const deflated = zlib.deflateSync('abcdefghijklmnopqrstuvwxyz'.repeat(20));
  await each(out, 'inflate-truncated', [4, 9, 15, 30], (n) => inflateChunk(deflated.subarray(0, n)));

  // fs
  await each(out, 'mkdir-exists', [fullDir('w1'), fullDir('w2'), file('w3.txt')], (p) => createWorkDir(p));
  await each(out, 'rmdir-not-empty', [fullDir('r1'), fullDir('r2/a'), fullDir('r3')], (p) =>
    removeSegmentDir(p),
  );
  await each(out, 'lock-exists', [file('a.lock'), file('b.lock'), file('job-17.lock')], (p) => claimLock(p));
  await each(out, 'subtitles-missing-async', ['en.vtt', 'zh.vtt', 'fr/main.srt'], (p) =>
    loadSubtitles(join(dir, 'missing', p)),
  );

  // child processes
  await each(
    out,
    'probe-exit-code',
    [[2, 'intro.mov'] as const, [3, 'b-roll.mp4'] as const, [7, 'x.mkv'] as const],
    ([code, clip]) => probeDuration(code, clip),
  );
  await each(out, 'tool-not-installed', ['ffprobe-x', 'mediainfo-missing', 'no-such-encoder'], (b) =>
    runTool(b),
  );

  // fetch to closed local ports
  await each(out, 'renderer-down', await closedPorts(3), (port) => pingRenderer(port));

  // a rejected member of Promise.all, at several indices, with names in the message
  const names = ['intro', 'interview', 'b-roll', 'credits'];
  await each(out, 'promise-all-member', [0, 2, 3], (bad) =>
    encodeAll(names.map((name, i) => ({ name, broken: i === bad }))),
  );

  // recursion at several depths
  const chain = (depth: number, id: string): Scene => {
    const last: Scene = { id };
    let head = last;
    for (let i = 1; i < depth; i++) head = { id: `s${i}`, duration: 5, next: head };
    return head;
  };
  await each(out, 'recursion-no-duration', [1, 3, 6], (d) =>
    sumDurations(chain(d, ['opening', 'finale', 'teaser'][d % 3]!)),
  );

  // a dependency's frames above ours: two causes at one site, told apart by their codes
  await each(out, 'cue-sheet-field-count', ['a,b\n1,2,3', 'start,end\n1,2\n3', 'x\n1,2'], (t) =>
    parseCueSheet(t),
  );
  await each(out, 'cue-sheet-open-quote', ['a,b\n1,"2', 'a\n"open', 'start,end\n"1,2\n'], (t) =>
    parseCueSheet(t),
  );

  // custom error classes: one line, two codes
  await each(out, 'job-refused-input', ['odd width 1921', 'no audio stream', 'fps 0'], (d) =>
    failJob('E_INPUT', d),
  );
  await each(out, 'job-refused-quota', ['42 minutes over plan', 'team quota'], (d) => failJob('E_QUOTA', d));
  await each(out, 'manifest-missing-track', ['audio', 'subtitle', 'chapters'], (t) =>
    requireTrack({ tracks: ['video'] }, t),
  );

  // a property whose name is data
  await each(out, 'dimension-of-missing-dims', ['width', 'height', 'fps', 'rotation'], (f) =>
    readDimension({}, f),
  );

  // built-ins whose messages carry the input
  await each(out, 'clone-function', [() => 1, function onDone() {}, async () => 2], (fn) =>
    snapshotJob({ id: 1, callback: fn }),
  );
  await each(out, 'bigint-parse', ['12.5x', 'abc', 'ten frames'], (t) => parseFrameCount(t));
  await each(out, 'negative-pad', [-1, -3, -250], (n) => padLabel(n));
  await each(out, 'negative-alloc', [-5, -1024, -9_999_999], (n) => allocateAudio(n));
  await each(out, 'reduce-empty', [[], [], []], (list) => totalBitrate(list));
  const circular = (key: string) => {
    const o: Record<string, unknown> = { id: key };
    o[key] = o;
    return o;
  };
  await each(out, 'circular-json', ['parent', 'self', 'owner'], (k) => serializeJob({ job: circular(k) }));

  // V8 pseudo-frames: eval code and a Promise executor
  await each(out, 'rule-reads-undefined', ['scope.a.b', 'scope.limits.max', 'scope.x.y.z'], (e) =>
    evaluateRule(e, {}),
  );
  await each(out, 'no-encoder-slot', [3, 8, 64], (n) => waitForSlot(n));

  // two throws with one message in one function are two causes
  await each(out, 'codec-empty', ['', ' ', '\t'], (c) => checkCodec(c));
  await each(out, 'codec-unsupported', ['vp9', 'prores', 'mpeg2'], (c) => checkCodec(c));

  // an aborted backoff
  await each(out, 'backoff-aborted', [10, 500, 60_000], (ms) => waitBackoff(ms, AbortSignal.abort()));

  return out;
}
