// pino: errors logged at error level become error-insight records with the log's context.
// In the app's thread with the hooks, or in pino's worker thread with the transport.
import { errorInsightPinoHooks, getExportLogger } from 'error-insight';
import { pino } from 'pino';

// 1. The hooks: the record is made where the error is logged (real error object, active span).
const log = pino({ hooks: errorInsightPinoHooks() });
const job = log.child({ phase: 'ENCODING', videoHash: '3a7bd3e2f' });
job.info('encoding started'); // no error: not recorded
job.error({ err: new Error('Unknown encoder hevc_nvenc'), attempt: 2 }, 'encode failed');
const logger = getExportLogger();
await logger.flush();
const [group] = logger.getErrorStats().mostFrequent;
console.log(`hook recorded ${group?.type}: ${group?.message}`);

// 2. The transport: the line is parsed in pino's worker thread, which keeps its own store
//    files in the directory given here; pino waits for it to flush when the process exits.
const transport = pino.transport({
  target: 'error-insight/pino',
  options: { logFile: '.error-insight-pino/errors.jsonl', resources: false },
});
const viaWorker = pino(transport);
viaWorker.child({ phase: 'UPLOADING', videoHash: '3a7bd3e2f' }).error(new Error('upload refused: 403'));
console.log('transport: the record is written by the worker before the process ends');
