import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { ReportError } from '../../src/report/report-error.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fill, mountTmpfs, unmountAll } from '../helpers/tmpfs.js';

const loggers: ExportLogger[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.shutdown()));
});
// Stores and loggers are closed after each test, so nothing holds the mounts busy.
afterAll(unmountAll);

const mount = mountTmpfs('2m');
const reason = 'refused' in mount ? `cannot mount a tmpfs here (${mount.refused})` : '';
if (reason) console.warn(`skipped full-disk report tests: ${reason}`);

describe.skipIf(reason !== '')('a report written to a disk that fills up (tmpfs)', () => {
  for (const format of ['html', 'json', 'csv', 'jsonl'] as const) {
    it(`exportLogs({ format: '${format}', outputFile }) rejects with a ReportError and leaves no file`, async () => {
      const out = (mount as { dir: string }).dir;
      const logger = new ExportLogger({
        logFile: path.join(await tempDir(), 'errors.jsonl'),
        warnOnStderr: false,
        resources: false,
      });
      loggers.push(logger);
      for (let i = 0; i < 300; i++) {
        // A group each, so that every format (grouped or not) is larger than the room left.
        logger.logStructuredError(
          new Error(`encode of video ${i} failed: ${'ffmpeg said no; '.repeat(20)}`),
          undefined,
          { videoHash: `v${i}`, fingerprint: [`job-${i}`] },
        );
      }
      // Room for the start of any report, not for the whole of one.
      const filler = fill(out, 16 * 1024);
      try {
        const outputFile = path.join(out, `report.${format}`);
        const error = await logger.exportLogs({ format, outputFile }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ReportError);
        expect((error as ReportError).code).toBe('ERR_REPORT_OUTPUT_FAILED');
        expect((error as ReportError).message).toMatch(/ENOSPC/);
        expect(fs.readdirSync(out)).toEqual(['filler']);
      } finally {
        fs.unlinkSync(filler);
      }
      // With the space back, the same call writes the whole report.
      const written = await logger.exportLogs({ format, outputFile: path.join(out, `report.${format}`) });
      expect(fs.statSync(written).size).toBeGreaterThan(16 * 1024);
      fs.unlinkSync(written);
    });
  }
});
