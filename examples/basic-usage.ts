// The original specification's "basic use": get the logger, set the phase and video, record an error with context.
import { readFile } from 'node:fs/promises';
import { getExportLogger } from 'error-insight';

const logger = getExportLogger();

// The current context: export phase and video hash.
logger.setContext({ phase: 'RENDERING', videoHash: '3a7bd3e2f' });

async function processVideo(): Promise<void> {
  await readFile('/nonexistent/clips/3a7bd3e2f/source.mp4');
}

try {
  await processVideo();
} catch (e) {
  const record = logger.logStructuredError(e, { custom_data: 'value' });
  console.log(
    `recorded ${record.exception.type} (${record.exception.code}) in ${record.phase} for ${record.videoHash}: ` +
      `fingerprint ${record.fingerprint}, occurrence ${record.occurrence}, category ${record.classification.category}`,
  );
}

await logger.flush();
console.log(`store: ${logger.storeDir}`);
