import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportPositions, POSITION_DIR } from '../../src/otlp/export-position.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('saved export positions and claims', () => {
  it('reads back the position it saved, leaving no temporary file', async () => {
    const dir = await tempDir();
    const positions = new ExportPositions(dir);
    expect(await positions.read('42-abcdefgh')).toBeUndefined();
    await positions.save('42-abcdefgh', { file: 'errors.x.jsonl', sequence: 3, records: 17 });
    await positions.save('42-abcdefgh', { file: 'errors.y.jsonl', sequence: 4, records: 2 });
    expect(await positions.read('42-abcdefgh')).toEqual({ file: 'errors.y.jsonl', sequence: 4, records: 2 });
    expect(await readdir(join(dir, POSITION_DIR))).toEqual(['42-abcdefgh.position.json']);
    await positions.release();
  });

  it('treats an unreadable position file as no position', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, POSITION_DIR));
    await writeFile(join(dir, POSITION_DIR, '42-abcdefgh.position.json'), '{"file":"x","rec');
    const positions = new ExportPositions(dir);
    expect(await positions.read('42-abcdefgh')).toBeUndefined();
    await positions.release();
  });

  it('lets one live exporter hold a claim and takes over the claim of a dead process', async () => {
    const dir = await tempDir();
    const a = new ExportPositions(dir);
    const b = new ExportPositions(dir);
    expect(await a.claim('7-run00001')).toBe(true);
    expect(await b.claim('7-run00001')).toBe(false);
    expect(await a.claim('7-run00001')).toBe(true);
    await a.release();
    expect(await b.claim('7-run00001')).toBe(true);
    // A claim left by a process that no longer exists.
    await writeFile(join(dir, POSITION_DIR, '8-run00002.claim'), '999999 deadbeefdead');
    expect(await b.claim('8-run00002')).toBe(true);
    expect(await readFile(join(dir, POSITION_DIR, '8-run00002.claim'), 'utf8')).toBe(
      `${process.pid} ${b.instance}`,
    );
    await b.release();
    expect((await readdir(join(dir, POSITION_DIR))).filter((n) => n.endsWith('.claim'))).toEqual([]);
  });

  it('forgets writers that have no file left', async () => {
    const dir = await tempDir();
    const positions = new ExportPositions(dir);
    await positions.save('1-gone0001', { file: 'a', sequence: 1, records: 1 });
    await positions.save('2-kept0002', { file: 'b', sequence: 1, records: 1 });
    await positions.forget(new Set(['2-kept0002']));
    expect(await readdir(join(dir, POSITION_DIR))).toEqual(['2-kept0002.position.json']);
    await positions.release();
  });
});
