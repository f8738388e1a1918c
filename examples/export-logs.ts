// The original specification's log export: JSON and CSV as content, and an HTML report written to a file.
import { getExportLogger } from 'error-insight';

const logger = getExportLogger();
logger.logStructuredError(
  new Error('Encoder h264_nvenc not found'),
  { gpu: false },
  { phase: 'ENCODING', videoHash: 'a1' },
);
logger.logStructuredError(new Error('<script>alert(1)</script> in title'), undefined, {
  phase: 'VALIDATION',
});

// Export as JSON
const jsonData = await logger.exportLogs({ format: 'json' });
console.log(`json: ${jsonData.length} chars`);

// Export as CSV
const csvData = await logger.exportLogs({ format: 'csv' });
console.log(`csv: ${csvData.split('\n').length - 1} lines`);

// Export as an HTML report
const written = await logger.exportLogs({ format: 'html', outputFile: 'error_report.html' });
console.log(`html report: ${written}`);
