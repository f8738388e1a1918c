import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { DEFAULT_STORE_OPTIONS, resolveStoreOptions } from '../../src/store/store-options.js';
import { tempDir } from './store-test-helpers.js';

describe('resolveStoreOptions', () => {
  it('applies the documented defaults, with the log path resolved against the current directory', () => {
    const r = resolveStoreOptions();
    expect(r).toMatchObject({
      logFile: path.resolve('.error-insight/errors.jsonl'),
      dir: path.resolve('.error-insight'),
      stem: 'errors',
      maxLogs: 1000,
      maxFileBytes: 16 * 1024 * 1024,
      rotateDaily: true,
      retentionDays: 30,
      maxTotalBytes: 512 * 1024 * 1024,
      autoFlush: true,
      flushIntervalMs: 1000,
      batchSize: 100,
      maxBufferedRecords: 10_000,
      maxBufferedBytes: 64 * 1024 * 1024,
      gzip: false,
      handleExit: true,
    });
    expect(DEFAULT_STORE_OPTIONS.logFile).toBe('.error-insight/errors.jsonl');
  });

  it.each([
    [{ maxLogs: -1 }, RangeError, /maxLogs must be >= 1/],
    [{ maxLogs: 1.5 }, TypeError, /maxLogs must be an integer/],
    [{ batchSize: 0 }, RangeError, /batchSize/],
    [{ retentionDays: -2 }, RangeError, /retentionDays/],
    [{ flushIntervalMs: Number.NaN }, TypeError, /flushIntervalMs/],
    [{ gzip: 'yes' }, TypeError, /gzip must be a boolean/],
    [{ logFile: '' }, TypeError, /non-empty/],
    [{ logFile: '../../etc/errors.jsonl' }, RangeError, /'\.\.' segments/],
    [{ logFile: 'logs/../../x.jsonl' }, RangeError, /'\.\.' segments/],
    [{ logFile: 'logs/err<>|.jsonl' }, TypeError, /must be letters, digits/],
    [{ logFile: 'a\0b' }, TypeError, /NUL/],
  ])('rejects %j with a clear error', (options, type, message) => {
    expect(() => resolveStoreOptions(options as never)).toThrow(type);
    expect(() => resolveStoreOptions(options as never)).toThrow(message);
  });

  it('refuses a log path that is a planted symlink, and leaves its target untouched', () => {
    const dir = tempDir();
    const target = path.join(dir, 'authorized_keys');
    fs.writeFileSync(target, 'ssh-ed25519 AAAA');
    fs.symlinkSync(target, path.join(dir, 'errors.jsonl'));
    expect(() => new JsonlStore({ logFile: path.join(dir, 'errors.jsonl') })).toThrow(/symbolic link/);
    expect(fs.readFileSync(target, 'utf8')).toBe('ssh-ed25519 AAAA');
  });

  it('refuses a store directory that is a symlink', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    expect(() => resolveStoreOptions({ logFile: path.join(dir, 'link', 'errors.jsonl') })).toThrow(
      /store directory .* is a symbolic link/,
    );
  });

  it('refuses a log path that is a directory, or whose parent is a file', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'errors.jsonl'));
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => resolveStoreOptions({ logFile: path.join(dir, 'errors.jsonl') })).toThrow(/is a directory/);
    expect(() => resolveStoreOptions({ logFile: path.join(dir, 'file', 'errors.jsonl') })).toThrow(
      /not a directory/,
    );
  });
});
