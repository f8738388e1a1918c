import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { runExample } from './run-example.js';

describe('the examples of the original specification', () => {
  it('basic-usage records an ENOENT with phase, video and context', async () => {
    const { cwd, out } = await runExample('basic-usage');
    expect(out).toMatch(/recorded Error \(ENOENT\) in RENDERING for 3a7bd3e2f/);
    const [record] = await readStoreLines(join(cwd, '.error-insight'));
    expect(record).toMatchObject({
      phase: 'RENDERING',
      videoHash: '3a7bd3e2f',
      context: { custom_data: 'value' },
    });
    expect(record?.exception.code).toBe('ENOENT');
  });

  it('context-manager swallows once, rethrows once and goes on', async () => {
    const { cwd, out } = await runExample('context-manager');
    expect(out).toContain('result after a recorded error: undefined');
    expect(out).toContain('rethrown: Invalid bitrate 0k for 1920x1080 at frame 1200');
    expect(out).toContain('完成');
    // Two call sites of one throw: two groups in fingerprint version 2, which hashes the lines of the frames.
    expect(out).toContain('total 2, unique 2');
    const records = await readStoreLines(join(cwd, '.error-insight'));
    expect(records.map((r) => [r.phase, r.exception.type, r.occurrence])).toEqual([
      ['ENCODING', 'RangeError', 1],
      ['ENCODING', 'RangeError', 1],
    ]);
  });

  it('decorator records through the function wrapper and the compiled TC39 method decorator', async () => {
    const { cwd, out } = await runExample('decorator');
    expect(out).toContain('processed: 24');
    expect(out).toContain('rethrown: Video cc33dd44 has no frames');
    expect(out).toContain('rethrown: moov atom not found while muxing ee55ff66 into mp4');
    const records = await readStoreLines(join(cwd, '.error-insight'));
    expect(records.map((r) => [r.phase, r.videoHash])).toEqual([
      ['VIDEO_PROCESSING', 'cc33dd44'],
      ['MUXING', 'ee55ff66'],
    ]);
  });

  it('quick-log records and the caller still sees the error', async () => {
    const { cwd, out } = await runExample('quick-log');
    expect(out).toContain('caller saw: Odd width 1919 is not encodable as yuv420p');
    const [record] = await readStoreLines(join(cwd, '.error-insight'));
    expect(record).toMatchObject({ phase: 'VALIDATION', videoHash: '3a7bd3e2f' });
  });

  it('error-stats prints totals, unique errors and the most frequent ones in Chinese', async () => {
    const { out } = await runExample('error-stats');
    expect(out).toContain('总错误数: 7');
    expect(out).toContain('独立错误数: 2');
    expect(out).toMatch(/ {2}- [0-9a-z]+: 6次/);
    expect(out).toMatch(/ {2}- [0-9a-z]+: 1次/);
  });

  it('classifier-integration classifies a real ECONNREFUSED and records it', async () => {
    const { cwd, out } = await runExample('classifier-integration');
    const [record] = await readStoreLines(join(cwd, '.error-insight'));
    expect(record?.exception.code).toBe('ECONNREFUSED');
    expect(out).toContain(`recorded as ${record?.classification.category}`);
    expect(record?.classification.retryable).toBe(true);
    expect(record?.context).toHaveProperty('classification.category', record?.classification.category);
  });

  it('custom-logger writes to its own store', async () => {
    const { cwd, out } = await runExample('custom-logger');
    const dir = join(cwd, 'custom/path');
    expect(out).toContain(`store: ${dir}`);
    const [record] = await readStoreLines(dir);
    expect(record?.exception.message).toBe('Muxer lost audio track 2');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('opentelemetry records a foreign recordException with the class name and code', async () => {
    const { cwd, out } = await runExample('opentelemetry');
    expect(out).toContain('recorded 1 error(s); top: Error ENOENT');
    const [record] = await readStoreLines(join(cwd, '.error-insight'));
    expect(record).toMatchObject({ source: 'span', service: { name: 'clips-exporter' } });
    expect(record?.exception.code).toBe('ENOENT');
    expect(record?.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('export-logs returns JSON and CSV and writes an HTML report with the script escaped', async () => {
    const { cwd, out } = await runExample('export-logs');
    expect(out).toMatch(/json: \d+ chars/);
    expect(out).toMatch(/csv: \d+ lines/);
    const html = await readFile(join(cwd, 'error_report.html'), 'utf8');
    expect(html).toContain('Encoder h264_nvenc not found');
    expect(html).not.toContain('<script>alert(1)</script>');
  });
});

describe('the pipeline demo (npm run demo)', () => {
  it('runs ten videos, records each injected failure once, and writes the stats and an HTML report', async () => {
    const { cwd, out } = await runExample('pipeline-demo');
    expect(out).toContain('Exported 2 of 10 videos.');
    expect(out).toMatch(/Errors: 10 recorded, 7 distinct, 0 dropped\./);
    const records = await readStoreLines(join(cwd, '.error-insight'));
    expect(records).toHaveLength(10);
    const byPhase = (phase: string) =>
      records.filter((r) => r.phase === phase).map((r) => r.classification.category);
    expect(byPhase('PREPARATION')).toEqual(['filesystem', 'filesystem']);
    expect(byPhase('RENDERING')).toEqual(['memory']);
    expect(byPhase('UPLOADING').sort()).toEqual(['network', 'network', 'network', 'timeout']);
    const html = await readFile(join(cwd, '.error-insight', 'report.html'), 'utf8');
    expect(html).toContain('moov atom not found');
  });
});
