// The original specification's quick recording: one call in a catch block, then handle the error as usual.
import { getExportLogger, logExportError } from 'error-insight';

function validateInput(data: { width: number; height: number }): void {
  if (data.width % 2 !== 0) throw new TypeError(`Odd width ${data.width} is not encodable as yuv420p`);
}

try {
  try {
    validateInput({ width: 1919, height: 1080 });
  } catch (e) {
    const record = logExportError(e, { phase: 'VALIDATION', videoHash: '3a7bd3e2f' });
    console.log(`recorded ${record.fingerprint} as ${record.classification.category}`);
    throw e; // handle it as the caller should
  }
} catch (e) {
  console.log(`caller saw: ${(e as Error).message}`);
}
await getExportLogger().flush();
