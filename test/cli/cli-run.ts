import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ProcessResult, runNode, startNode } from '../helpers/run-process.js';

/** The built CLI; the tests run it as users do. */
export const CLI = join(process.cwd(), 'dist/src/cli/main.js');

export function ensureBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`build first: npx tsc -p tsconfig.json (${CLI} missing)`);
}

export type CliResult = ProcessResult;

/** Runs the CLI to completion. */
export function runCli(args: string[], cwd = process.cwd()): Promise<CliResult> {
  return runNode(CLI, args, { cwd });
}

/** Starts the CLI and returns the child with live output buffers. */
export function startCli(args: string[]): {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
} {
  const run = startNode(CLI, args);
  return { child: run.child, out: run.output, exited: run.done.then((r) => r.code) };
}

/** Resolves once `predicate` holds, polling; rejects after `limitMs` (a hang guard, not a timing assertion). */
export async function until(predicate: () => boolean, limitMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > limitMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}
