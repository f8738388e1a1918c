import { createRequire } from 'node:module';

type SdkMetrics = typeof import('@opentelemetry/sdk-metrics');

let loaded: SdkMetrics | undefined;

/**
 * `@opentelemetry/sdk-metrics`, loaded the first time a metric reader needs it (53 modules, a
 * good part of the start-up cost otherwise). Its package has no `exports` map, so Node resolves
 * `import` and `require` to the same CommonJS build: this is the very module an app that made
 * its own reader imported, not a second copy.
 */
export function loadSdkMetrics(): SdkMetrics {
  loaded ??= createRequire(import.meta.url)('@opentelemetry/sdk-metrics') as SdkMetrics;
  return loaded;
}
