import { fileURLToPath } from 'node:url';
import { runNode } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';

// The examples are compiled by `npm test`'s build step (tsc), which also lowers the TC39
// decorator in examples/decorator.ts: Vitest's own transform cannot load standard decorators.
const built = (name: string) => fileURLToPath(new URL(`../../dist/examples/${name}.js`, import.meta.url));

/**
 * Runs a built example in a fresh directory with no collector or service name from the
 * environment (`env` adds variables); throws unless it exits 0.
 */
export async function runExample(
  name: string,
  env: Record<string, string> = {},
): Promise<{ cwd: string; out: string; err: string }> {
  const cwd = await tempDir(`ei-ex-${name}-`);
  const r = await runNode(built(name), [], {
    cwd,
    killAfterMs: 60_000,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: '', ...env },
  });
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr}`);
  return { cwd, out: r.stdout, err: r.stderr };
}
