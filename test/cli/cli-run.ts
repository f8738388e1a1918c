import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ProcessResult, runProcess } from '../helpers/run-process.js';

/** The built CLI; the tests run it as users do. */
export const CLI = join(process.cwd(), 'dist/src/cli/main.js');

export function ensureBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`build first: npx tsc -p tsconfig.json (${CLI} missing)`);
}

export type CliResult = ProcessResult;

/** Runs the CLI to completion. */
export function runCli(args: string[], cwd = process.cwd()): Promise<CliResult> {
  return runProcess(process.execPath, [CLI, ...args], cwd);
}

/** Starts the CLI and returns the child with live output buffers. */
export function startCli(args: string[]): {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exited };
}

/** Resolves once `predicate` holds, polling; rejects after `limitMs` (a hang guard, not a timing assertion). */
export async function until(predicate: () => boolean, limitMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > limitMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}
