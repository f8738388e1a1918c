// The original specification's statistics: totals, unique errors and the most frequent ones.
import { readFile } from 'node:fs/promises';
import { getExportLogger } from 'error-insight';

const logger = getExportLogger();
for (const hash of ['a1', 'b2', 'c3']) {
  for (const segment of [1, 2]) {
    try {
      await readFile(`/nonexistent/${hash}/segment-${segment}.ts`);
    } catch (e) {
      logger.logStructuredError(e, { segment }, { phase: 'PREPARATION', videoHash: hash });
    }
  }
}
try {
  JSON.parse('{"width": 1920,');
} catch (e) {
  logger.logStructuredError(e, undefined, { phase: 'VALIDATION' });
}

const stats = logger.getErrorStats();
console.log(`总错误数: ${stats.totalErrors}`);
console.log(`独立错误数: ${stats.uniqueErrors}`);
console.log('最常见错误:');
for (const { fingerprint, count } of stats.mostFrequent) console.log(`  - ${fingerprint}: ${count}次`);
await logger.flush();
