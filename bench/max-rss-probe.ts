/**
 * Loaded with `node --import` into a measured child: at exit it prints the process's peak RSS
 * (KiB) on stderr, so a command that is not ours (the CLI, a peer script) is measured the same way.
 */
import { MAX_RSS_MARKER } from './bench-helpers.js';

process.on('exit', () => {
  process.stderr.write(`\n${MAX_RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
});
