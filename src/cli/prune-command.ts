/** `error-insight prune`: applies retention to store directories now. */
import { stat } from 'node:fs/promises';
import { pruneStore } from '../store/prune-store.js';
import type { CliFlagValues } from './cli-flags.js';
import { DEFAULT_STORE_DIR } from './cli-source.js';
import { escapeTerminalText } from './terminal-text.js';

/** Runs the command; resolves to the exit code. */
export async function runPruneCommand(flags: CliFlagValues): Promise<number> {
  const dirs = flags.store ?? [DEFAULT_STORE_DIR];
  const options: { retentionDays?: number; maxTotalBytes?: number } = {};
  if (flags.retentionDays !== undefined) options.retentionDays = flags.retentionDays;
  if (flags.maxTotalBytes !== undefined) options.maxTotalBytes = flags.maxTotalBytes;
  let removed = 0;
  for (const dir of dirs) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
      throw Object.assign(new Error(`store not found: ${dir}`), { code: error.code ?? 'ENOENT' });
    });
    if (!info.isDirectory())
      throw Object.assign(new Error(`store is not a directory: ${dir}`), { code: 'ENOTDIR' });
    const result = await pruneStore(dir, options);
    for (const file of result.removed) process.stdout.write(`removed ${escapeTerminalText(file)}\n`);
    removed += result.removed.length;
  }
  process.stderr.write(`error-insight: pruned ${removed} file${removed === 1 ? '' : 's'}\n`);
  return 0;
}
