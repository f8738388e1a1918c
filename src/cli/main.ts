#!/usr/bin/env node
/** The `error-insight` executable. */
import { runCli } from './cli-program.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error-insight: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
