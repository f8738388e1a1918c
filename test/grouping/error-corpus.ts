/**
 * A labelled corpus of real errors: every one is made by really doing the failing thing (a
 * missing file, a closed port, bad JSON, a property of undefined, a real ffmpeg run…), and
 * labelled with its true cause. Each cause is triggered several times with different variable
 * parts (paths, ports, inputs, sizes, timecodes), so that a grouping that splits on data or
 * merges distinct causes shows up.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';

export interface CorpusSample {
  /** The true cause. */
  label: string;
  thrown: unknown;
  phase?: string;
}

// ---- sites: each function is one place in the code where a cause arises -------------------

function readConfig(path: string): string {
  return fs.readFileSync(path, 'utf8');
}

function writeOutput(path: string): void {
  fs.writeFileSync(path, 'frame data');
}

function readManifest(dir: string): string {
  return fs.readFileSync(dir, 'utf8');
}

function listSegments(path: string): string[] {
  return fs.readdirSync(path);
}

function parseJobJson(text: string): unknown {
  return JSON.parse(text);
}

function parseManifestJson(text: string): unknown {
  return JSON.parse(text);
}

interface Job {
  meta?: { width?: number; stream?: { codec?: string } };
  title?: { text: string };
}

function getWidth(job: Job): number {
  return job.meta!.width!;
}

function getCodec(job: Job): string {
  return job.meta!.stream!.codec!;
}

function renderTitle(job: Job): string {
  return job.title!.text.toUpperCase();
}

function allocateFrameBuffer(count: number): unknown[] {
  return new Array(count);
}

function validateInput(fps: number): void {
  if (!(fps > 0 && fps <= 240)) throw new Error('invalid frame rate');
}

function configureEncoder(fps: number): void {
  if (!Number.isInteger(fps)) throw new Error('invalid frame rate');
}

function checkResolution(width: number, height: number): void {
  if (width % 2 !== 0 || height % 2 !== 0) {
    throw new RangeError(`unsupported resolution ${width}x${height} at ${width > 1920 ? 4500 : 2500}k`);
  }
}

function decodeFrame(dir: string, frame: number, timecode: string): never {
  throw new Error(`frame ${frame} missing at ${timecode} in ${join(dir, `tmp-${frame}.yuv`)}`);
}

function checkFreeSpace(needed: number): void {
  throw new Error(`not enough space for encoded output: need ${needed}MB, ${Math.floor(needed / 3)}MB left`);
}

function loadPreset(path: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`failed to load preset ${path}`, { cause });
  }
}

function recurseTimeline(depth: number): number {
  return recurseTimeline(depth + 1) + 1;
}

function decodeQuery(text: string): string {
  return decodeURIComponent(text);
}

function parseEndpoint(text: string): URL {
  return new URL(text);
}

function runEncoderProcess(exitCode: number, video: string): void {
  const r = spawnSync(process.execPath, ['-e', `process.exit(${exitCode})`]);
  throw new Error(`encoder exited with code ${r.status} while encoding ${video}`);
}

function runFfmpeg(input: string): void {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', input, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  if (r.error) throw new CorpusSetupError(`the corpus needs ffmpeg on PATH to run (${r.error.message})`);
  const lines = (r.stderr ?? '').trim().split('\n');
  throw new Error(`ffmpeg failed (exit ${r.status}): ${lines[lines.length - 1]}`);
}

function throwString(id: number): never {
  throw `job ${id} aborted by operator`;
}

function connectEncoderSocket(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

async function uploadChunk(port: number): Promise<void> {
  await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: 'x' });
}

async function fetchThumbnail(port: number, ms: number): Promise<void> {
  await fetch(`http://127.0.0.1:${port}/thumb`, { signal: AbortSignal.timeout(ms) });
}

async function readSegmentAsync(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

function withTimeout(what: string, ms: number): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(function renderDeadline() {
      reject(new Error(`${what} timed out after ${ms}ms`));
    }, ms);
  });
}

// ---- helpers --------------------------------------------------------------------------------

/** A case that could not run at all: fails the corpus instead of becoming a sample. */
class CorpusSetupError extends Error {}

function capture(out: CorpusSample[], label: string, fn: () => unknown, phase?: string): void {
  try {
    fn();
  } catch (thrown) {
    if (thrown instanceof CorpusSetupError) throw thrown;
    out.push(phase === undefined ? { label, thrown } : { label, thrown, phase });
    return;
  }
  throw new Error(`corpus case ${label} did not throw`);
}

async function captureAsync(
  out: CorpusSample[],
  label: string,
  fn: () => Promise<unknown>,
  phase?: string,
): Promise<void> {
  try {
    await fn();
  } catch (thrown) {
    out.push(phase === undefined ? { label, thrown } : { label, thrown, phase });
    return;
  }
  throw new Error(`corpus case ${label} did not reject`);
}

/** Ports that were free a moment ago: listened on, then closed. */
export async function closedPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address !== null && typeof address === 'object') ports.push(address.port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return ports;
}

/** A real HTTP server on 127.0.0.1 that never answers, for real timeouts. */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => {
    // never respond
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  return { server, port };
}

/** Builds the corpus in `dir` (a fresh temp directory). */
export async function buildCorpus(dir: string): Promise<CorpusSample[]> {
  const out: CorpusSample[] = [];
  const file = join(dir, 'a-file.txt');
  fs.writeFileSync(file, 'not a directory');
  for (const d of ['clip-1', 'clip-2', 'render-out']) fs.mkdirSync(join(dir, d));

  for (const name of ['job-1.json', 'job-77.json', 'a b/config.json', '配置/设置.json', 'x/y/z/deep.json']) {
    capture(out, 'config file missing', () => readConfig(join(dir, 'missing', name)));
  }
  for (const name of ['out-1.mp4', 'out-2.mkv', '3a7bd3e2f/final.mov', 'nested/dir/seg_00042.ts']) {
    capture(out, 'output directory missing', () => writeOutput(join(dir, 'nope', name)));
  }
  for (const d of ['clip-1', 'clip-2', 'render-out']) {
    capture(out, 'manifest path is a directory', () => readManifest(join(dir, d)));
  }
  for (const name of ['seg-1', 'seg-2', 'seg-3']) {
    capture(out, 'segment list under a file', () => listSegments(join(file, name)));
  }
  for (const text of [
    '{x',
    '{"a":1,}',
    '',
    '[1,2',
    'undefined',
    '{"a":"\u0001"}',
    '{"a" 1}',
    'nul',
    '12 34',
  ]) {
    capture(out, 'job payload is not JSON', () => parseJobJson(text));
  }
  for (const text of ['<html>', '{"frames":[1,2,,3]}', '{']) {
    capture(out, 'manifest is not JSON', () => parseManifestJson(text));
  }
  for (const job of [{}, { title: { text: 'x' } }, { meta: undefined }]) {
    capture(out, 'job without meta (width)', () => getWidth(job as Job));
  }
  for (const job of [{ meta: { width: 1 } }, { meta: {} }]) {
    capture(out, 'job without stream (codec)', () => getCodec(job as Job));
  }
  for (const job of [{}, { meta: { width: 2 } }]) {
    capture(out, 'job without title', () => renderTitle(job as Job));
  }
  for (const n of [-1, -42, 2 ** 32, 1.5]) {
    capture(out, 'invalid frame buffer length', () => allocateFrameBuffer(n));
  }
  for (const fps of [0, -5, 500]) capture(out, 'frame rate out of range', () => validateInput(fps));
  for (const fps of [29.97, 23.976]) capture(out, 'frame rate not integer', () => configureEncoder(fps));
  for (const [w, h] of [
    [1921, 1080],
    [1279, 721],
    [3841, 2160],
  ] as const) {
    capture(out, 'odd resolution', () => checkResolution(w, h));
  }
  for (const [frame, tc] of [
    [1234, '00:00:41.13'],
    [17, '00:00:00.56'],
    [90001, '00:50:00.03'],
  ] as const) {
    capture(out, 'decoded frame missing', () => decodeFrame(dir, frame, tc));
  }
  for (const mb of [512, 2048, 12]) capture(out, 'disk full for output', () => checkFreeSpace(mb));

  fs.writeFileSync(join(dir, 'broken-1.json'), '{"crf": 23,');
  fs.writeFileSync(join(dir, 'broken-2.json'), 'crf=23');
  for (const p of ['fast.json', 'slow.json', 'hq/4k.json']) {
    capture(out, 'preset missing (wrapped ENOENT)', () => loadPreset(join(dir, 'presets', p)));
  }
  for (const p of ['broken-1.json', 'broken-2.json']) {
    capture(out, 'preset corrupt (wrapped SyntaxError)', () => loadPreset(join(dir, p)));
  }
  for (let i = 0; i < 2; i++) capture(out, 'timeline recursion overflow', () => recurseTimeline(i));
  for (const q of ['%', '%E0%A4%A', '%zz']) capture(out, 'malformed URI in query', () => decodeQuery(q));
  for (const u of ['not a url', '//missing-scheme', 'http://[::1']) {
    capture(out, 'invalid endpoint URL', () => parseEndpoint(u));
  }
  for (const [code, video] of [
    [1, '3a7bd3e2f'],
    [3, 'c0ffee1234'],
    [137, 'deadbeef99'],
  ] as const) {
    capture(out, 'encoder process exit', () => runEncoderProcess(code, video));
  }
  // The ffmpeg causes need an ffmpeg on PATH (Debian's, else the packaged one the test setup adds);
  // without one this fails naming it rather than grading spawn errors as ffmpeg failures.
  for (const name of ['missing-1.mp4', 'missing-2.mov']) {
    capture(out, 'ffmpeg input missing', () => runFfmpeg(join(dir, 'inputs', name)));
  }
  for (const name of ['junk-1.mp4', 'junk-2.mp4']) {
    fs.writeFileSync(join(dir, name), Buffer.from(`${name} is not a video at all ${'z'.repeat(64)}`));
    capture(out, 'ffmpeg input corrupt', () => runFfmpeg(join(dir, name)));
  }
  for (const id of [7, 1234, 99]) capture(out, 'string thrown by operator abort', () => throwString(id));

  const ports = await closedPorts(6);
  for (const port of ports.slice(0, 3)) {
    await captureAsync(out, 'encoder socket refused', () => connectEncoderSocket(port), 'ENCODING');
  }
  for (const port of ports.slice(3)) {
    await captureAsync(out, 'upload refused (fetch with cause)', () => uploadChunk(port), 'UPLOADING');
  }
  const { server, port } = await silentServer();
  try {
    for (const ms of [20, 35]) {
      await captureAsync(out, 'thumbnail fetch timeout', () => fetchThumbnail(port, ms), 'RENDERING');
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  for (const ms of [5, 12, 30]) {
    await captureAsync(out, 'render deadline exceeded', () => withTimeout('render', ms));
  }
  for (const name of ['seg-a.ts', 'seg-b.ts']) {
    await captureAsync(
      out,
      'segment missing (fs.promises)',
      () => readSegmentAsync(join(dir, 'segments', name)),
      'MUXING',
    );
  }
  return out;
}
