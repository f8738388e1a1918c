import { readFile } from 'node:fs/promises';
import type { SystemInformationPort } from './system-information-port.js';

function field(text: string, name: string): number | undefined {
  const at = text.indexOf(`\n${name}:`);
  const start = at < 0 ? (text.startsWith(`${name}:`) ? 0 : -1) : at + 1;
  if (start < 0) return undefined;
  const kb = Number.parseInt(text.slice(start + name.length + 1, text.indexOf('\n', start)), 10);
  return Number.isFinite(kb) ? kb * 1024 : undefined;
}

/** Parses /proc/meminfo (kB figures) into the shape of systeminformation's `mem()`. */
export function parseMeminfo(text: string): Awaited<ReturnType<SystemInformationPort['mem']>> {
  const total = field(text, 'MemTotal');
  const free = field(text, 'MemFree');
  if (total === undefined || free === undefined) throw new TypeError('/proc/meminfo has no MemTotal/MemFree');
  // Kernels before 3.14 lack MemAvailable; systeminformation estimates it the same way.
  const available =
    field(text, 'MemAvailable') ??
    free + (field(text, 'Buffers') ?? 0) + (field(text, 'Cached') ?? 0) + (field(text, 'Slab') ?? 0);
  const swaptotal = field(text, 'SwapTotal') ?? 0;
  return {
    total,
    free,
    used: total - free,
    available,
    swaptotal,
    swapused: swaptotal - (field(text, 'SwapFree') ?? 0),
  };
}

/**
 * System memory straight from /proc/meminfo, the file `si.mem()` reads on Linux: the same
 * figures without loading systeminformation, whose first import blocked the event loop for
 * 80-115 ms here (module evaluation is synchronous).
 */
export function procMeminfoPort(file = '/proc/meminfo'): SystemInformationPort {
  return { name: file, mem: async () => parseMeminfo(await readFile(file, 'latin1')) };
}
