import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fingerprintException } from '../../src/grouping/fingerprint.js';
import type { PatternWarning } from '../../src/grouping/pattern-warning.js';
import { regroupRecord } from '../../src/grouping/regroup.js';
import { ExportLogger, type ExportLoggerOptions } from '../../src/logger/export-logger.js';
import type { ErrorRecord, ExceptionInfo } from '../../src/record.js';
import { aggregateReport } from '../../src/report/report-api.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { shutDownAfterTest } from '../helpers/test-logger.js';

function make(options: ExportLoggerOptions): ExportLogger {
  return shutDownAfterTest(new ExportLogger({ resources: false, warnOnStderr: false, ...options }));
}

// An application module whose one line fails with messages that vary with the input.
const APP = `export function readDimension(video, field) {
  return video.dims[field];
}
`;

async function app(dir: string): Promise<(field: string) => unknown> {
  const file = join(dir, 'dims.mjs');
  await writeFile(file, APP);
  const mod = (await import(pathToFileURL(file).href)) as {
    readDimension: (v: object, f: string) => unknown;
  };
  return (field) => {
    try {
      return mod.readDimension({}, field);
    } catch (err) {
      return err;
    }
  };
}

describe('fingerprint versions', () => {
  it('computes version 1 exactly as documented: SHA-1 of type, code, template and function@file frames', () => {
    const exception: ExceptionInfo = {
      type: 'TypeError',
      code: 'E_DIMS',
      message: "Cannot read properties of undefined (reading 'width')",
      stacktrace:
        'TypeError: x\n    at readWidth (/srv/app/src/job.ts:10:5)\n    at async runJob (/srv/app/src/run.ts:3:1)',
    };
    const parts = [
      'type:TypeError',
      'code:E_DIMS',
      "message:Cannot read properties of undefined (reading 'width')",
      'frame:readWidth@src/job.ts',
      'frame:runJob@src/run.ts',
    ];
    const expected = createHash('sha1').update(parts.join('\n')).digest('hex').slice(0, 16);
    expect(fingerprintException(exception, { projectRoot: '/srv/app', version: '1' })).toEqual({
      fingerprint: expected,
      version: '1',
      template: "Cannot read properties of undefined (reading 'width')",
    });
  });

  it('groups one line by its text in version 2, where version 1 split it by message', async () => {
    const dir = await tempDir('fp-versions-');
    const read = await app(dir);
    const v2 = make({ logFile: join(dir, 'v2', 'e.jsonl'), projectRoot: dir });
    const v1 = make({ logFile: join(dir, 'v1', 'e.jsonl'), projectRoot: dir, fingerprintVersion: '1' });
    const off = make({ logFile: join(dir, 'off', 'e.jsonl'), projectRoot: dir, sourceContext: false });
    for (const field of ['width', 'height', 'fps']) {
      const err = read(field);
      v2.logStructuredError(err);
      v1.logStructuredError(err);
      off.logStructuredError(err);
    }
    const v2Records = v2.getErrorStats();
    expect(v2Records.uniqueErrors).toBe(1);
    expect(v2Records.mostFrequent[0]).toMatchObject({ count: 3, fingerprintVersion: '2' });
    expect(v1.getErrorStats().uniqueErrors).toBe(3);
    expect(v1.getErrorStats().mostFrequent.every((g) => g.fingerprintVersion === '1')).toBe(true);
    // Reading no source, version 2 falls back to the message, as version 1 does.
    expect(off.getErrorStats().uniqueErrors).toBe(3);
    await off.flush();
    const [offRecord] = await readStoreLines(join(dir, 'off'));
    expect(offRecord?.exception.sourceContext).toBeUndefined();
    await v2.flush();
    const [v2Record] = await readStoreLines(join(dir, 'v2'));
    expect(v2Record?.exception.sourceContext?.[0]).toMatchObject({
      function: 'Module.readDimension',
      file: 'dims.mjs',
      line: 2,
      context: '  return video.dims[field];',
    });
  });

  it('rejects an unknown version and a non-boolean sourceContext at construction', async () => {
    const dir = await tempDir('fp-versions-');
    expect(() => make({ logFile: join(dir, 'e.jsonl'), fingerprintVersion: '3' as '2' })).toThrow(TypeError);
    expect(() => make({ logFile: join(dir, 'e.jsonl'), sourceContext: 'yes' as unknown as boolean })).toThrow(
      TypeError,
    );
  });

  it('reads a version 1 store after an upgrade: known errors are not new, and their return is a regression', async () => {
    const dir = await tempDir('fp-versions-');
    const read = await app(dir);
    const logFile = join(dir, 'store', 'e.jsonl');
    const warnings: PatternWarning[] = [];
    const later = Date.now() + 7 * 3600_000;
    let upgraded: ExportLogger | undefined;
    let record: ErrorRecord | undefined;
    for (const version of ['1', '2'] as const) {
      const logger =
        version === '1'
          ? make({ logFile, projectRoot: dir, fingerprintVersion: '1' })
          : make({
              logFile,
              projectRoot: dir,
              patterns: { now: () => later },
              onPattern: (w) => warnings.push(w),
            });
      if (version === '2') await logger.engine.historyLoaded;
      record = logger.logStructuredError(read('width'), undefined, { phase: 'RENDERING' });
      if (version === '1') await logger.shutdown();
      else upgraded = logger;
    }
    await upgraded!.flush();
    expect(record!.fingerprintVersion).toBe('2');
    expect(warnings.map((w) => w.kind)).toContain('regression');
    expect(warnings.map((w) => w.kind)).not.toContain('new');

    // The store keeps both lines as written; a report shows each version's group apart.
    const stored = await readStoreLines(join(dir, 'store'));
    expect(stored.map((r) => r.fingerprintVersion)).toEqual(['1', '2']);
    expect(stored[0]!.fingerprint).not.toBe(stored[1]!.fingerprint);
    expect(regroupRecord(stored[0]!, { projectRoot: dir }).fingerprint).toBe(stored[1]!.fingerprint);
    const report = await aggregateReport({ source: { records: stored }, patterns: false });
    expect(report.groups.map((g) => g.fingerprintVersion).sort()).toEqual(['1', '2']);
  });

  it('leaves fingerprints it did not compute as they are', () => {
    const r = { fingerprint: 'capture-failed', fingerprintVersion: 'none' } as ErrorRecord;
    expect(regroupRecord(r, { projectRoot: '/' })).toBe(r);
  });
});
