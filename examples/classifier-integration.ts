// The original specification's classifier integration: classify an error and record the classification with it.
// (Every record is also classified automatically; this shows the explicit call.)
import { connect } from 'node:net';
import { classifyException, getExportLogger } from 'error-insight';

const logger = getExportLogger();

function processComplexTask(): Promise<void> {
  // A port nothing listens on: a real ECONNREFUSED.
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: 9 });
    socket.on('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

try {
  await processComplexTask();
} catch (e) {
  const classification = classifyException(e);
  const record = logger.logStructuredError(e, { classification: classification.toJSON() });
  console.log(
    `${classification.category} (${classification.severity}, retryable: ${classification.retryable})`,
  );
  console.log(`suggestion: ${classification.suggestion}`);
  console.log(`recorded as ${record.classification.category}`);
}
await logger.flush();
