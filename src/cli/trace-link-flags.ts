/** The `--jaeger-url` / `--grafana-url` flags as trace link options (the environment fills in the rest). */
import type { TraceLinkOptions } from '../report/trace-link.js';
import type { CliFlagValues } from './cli-flags.js';

export function traceLinkOptionsFromFlags(flags: CliFlagValues): TraceLinkOptions | undefined {
  const options: TraceLinkOptions = {};
  if (flags.jaegerUrl !== undefined) options.jaegerUrl = flags.jaegerUrl;
  if (flags.grafanaUrl !== undefined) options.grafanaUrl = flags.grafanaUrl;
  return Object.keys(options).length > 0 ? options : undefined;
}
