import type { StreamedAggregation } from './report-aggregator.js';
import {
  aggregateStreamed,
  escapeLineSeparators,
  type ReportRenderer,
  type ReportSink,
} from './report-renderer.js';

/** Characters gathered before a write: one `JSON.stringify` of 10,000 groups measured 700 MiB of RSS. */
const WRITE_CHARS = 1 << 20;

const WRAP_HEAD = '{\n  "g": [\n    ';
const WRAP_TAIL = '\n  ]\n}';

/**
 * A group as `JSON.stringify(aggregation, null, 2)` prints it inside `groups`: stringified in a
 * wrapper of that depth and cut out, rather than re-indented line by line afterwards.
 */
function groupAtDepth(group: unknown): string {
  const text = JSON.stringify({ g: [group] }, null, 2);
  return text.slice(WRAP_HEAD.length, text.length - WRAP_TAIL.length);
}

/**
 * Writes exactly `JSON.stringify(aggregation, null, 2)`, a group at a time: the head is
 * stringified with `groups` empty (the last key), each group at the indentation it has inside
 * the array. JSON never holds a raw newline inside a string, so re-indenting every line is safe.
 */
async function writeAggregation(aggregation: StreamedAggregation, out: ReportSink): Promise<void> {
  const head = JSON.stringify(aggregation.head, null, 2);
  const empty = '"groups": []\n}';
  if (aggregation.groupCount === 0 || !head.endsWith(empty)) {
    await out.write(`${escapeLineSeparators(head)}\n`);
    return;
  }
  let text = `${head.slice(0, head.length - empty.length + '"groups": ['.length)}\n    `;
  let first = true;
  for (const group of aggregation.groups()) {
    if (!first) text += ',\n    ';
    first = false;
    text += groupAtDepth(group);
    if (text.length >= WRITE_CHARS) {
      await out.write(escapeLineSeparators(text));
      text = '';
    }
  }
  await out.write(escapeLineSeparators(`${text}\n  ]\n}\n`));
}

/** The aggregation ({@link ReportAggregation}) as pretty-printed JSON. */
export const jsonReportRenderer: ReportRenderer = {
  extension: 'json',
  mediaType: 'application/json',
  async render(batches, context, out) {
    await writeAggregation(await aggregateStreamed(batches, context), out);
  },
};
