// The original specification's configuration options: a logger of your own with its own store.
import { ExportLogger } from 'error-insight';

const logger = new ExportLogger({
  logFile: 'custom/path/errors.jsonl', // the store's active file; its directory is the store
  maxLogs: 2000, // records per file before it rotates
  retentionDays: 60, // files older than this are removed
  autoFlush: true, // write batches on a timer as well as when they fill
});

logger.logStructuredError(new Error('Muxer lost audio track 2'), { tracks: 3 }, { phase: 'MUXING' });
await logger.flush();
console.log(`store: ${logger.storeDir}`);
await logger.shutdown();
