import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ErrorRecord } from '../record.js';
import { renderToString, writeReportFile, writeReportStream } from '../report/report-output.js';
import { escapeLineSeparators } from '../report/report-renderer.js';
import { openReportSource } from '../report/report-source.js';
import { LogRecordBatcher } from './log-record-batch.js';
import type { OtlpJsonExportOptions, OtlpJsonExportResult } from './otlp-json-export-api.js';

const decoder = new TextDecoder();

/** The export behind `exportOtlpJson` (loaded with `import()`). */
export async function runOtlpJsonExport(
  options: OtlpJsonExportOptions & { recordsPerLine: number },
): Promise<OtlpJsonExportResult> {
  const opened = await openReportSource(options.source, options.filters);
  const batcher = new LogRecordBatcher(undefined);
  const result: OtlpJsonExportResult = { records: 0, lines: 0, skippedLines: 0 };
  const produce = async (sink: { write(chunk: string): Promise<void> }) => {
    let pending: ErrorRecord[] = [];
    const line = async () => {
      if (pending.length === 0) return;
      const body = JsonLogsSerializer.serializeRequest(batcher.toLogRecords(pending));
      if (body === undefined) throw new Error('log records could not be serialized');
      // One request per line: a raw U+2028 would split it for some line readers.
      await sink.write(`${escapeLineSeparators(decoder.decode(body))}\n`);
      result.records += pending.length;
      result.lines++;
      pending = [];
    };
    for await (const batch of opened.batches) {
      for (const record of batch.records) {
        pending.push(record);
        if (pending.length >= options.recordsPerLine) await line();
      }
    }
    await line();
  };
  if (options.outputFile !== undefined) result.file = await writeReportFile(options.outputFile, produce);
  else if (options.outputStream !== undefined) await writeReportStream(options.outputStream, produce);
  else result.content = await renderToString(produce);
  result.skippedLines = opened.summary().corruptLines;
  return result;
}
