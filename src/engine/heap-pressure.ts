import { totalmem } from 'node:os';
import { isMainThread, resourceLimits } from 'node:worker_threads';

/**
 * When the heap is near its limit, a fatal out-of-memory crash may come at any allocation and
 * takes every record still in memory with it; from then on records are written at once.
 *
 * `heapUsed / heapLimit` does not say it: V8's `heap_size_limit` is the old generation's limit
 * plus the young generation's reserve, and V8 dies when the old generation reaches its own
 * limit. The reserve differs by version and machine. Measured here with
 * `--max-old-space-size=64`: Node 20 and 22 report a limit of 112 MiB (a 48 MiB reserve) and
 * die at 64 MiB used (ratio 0.57); Node 24 reports 256 MiB (a 192 MiB reserve: three semi-spaces
 * of 64 MiB) and dies at 64 MiB used (ratio 0.25). So the old generation's limit is taken from
 * the flags that set it where there are any, else estimated from the total, and the headroom
 * that counts is the old generation's.
 */
const MIB = 1024 * 1024;

/** The headroom under which the heap counts as near: a fixed part and a tenth of the limit. */
function margin(oldLimit: number): number {
  return 16 * MIB + oldLimit / 10;
}

/** Where the old generation's limit comes from: the process's flags and, in a worker, its limits. */
export interface HeapFlags {
  execArgv: readonly string[];
  nodeOptions: string | undefined;
  /** A worker's `resourceLimits.maxOldGenerationSizeMb` (Node fills it in with the real value). */
  workerOldMb: number | undefined;
  /** The memory Node sizes a percentage against (the cgroup's limit when there is one). */
  memory: () => number;
}

function currentFlags(): HeapFlags {
  return {
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
    workerOldMb: isMainThread ? undefined : resourceLimits.maxOldGenerationSizeMb,
    memory: () => {
      const total = totalmem();
      const constrained = process.constrainedMemory?.() ?? 0;
      return constrained > 0 ? Math.min(total, constrained) : total;
    },
  };
}

/** The value of the last `--flag=N` / `--flag N` (dashes or underscores) in `args`. */
function lastFlag(args: readonly string[], name: string): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = (args[i] as string).replace(/_/g, '-');
    let value: string | undefined;
    if (arg.startsWith(name + '=')) value = arg.slice(name.length + 1);
    else if (arg === name) value = args[i + 1];
    const n = value === undefined ? Number.NaN : Number(value);
    if (Number.isFinite(n) && n > 0) found = n;
  }
  return found;
}

/**
 * The old generation's limit in bytes for a heap whose `heap_size_limit` is `heapLimit`. NODE_OPTIONS
 * comes before the command line's own flags, so those win, as in Node.
 */
export function oldGenerationLimit(heapLimit: number, flags: HeapFlags = currentFlags()): number {
  if (!(heapLimit > 0)) return 0;
  if (flags.workerOldMb !== undefined && flags.workerOldMb > 0) {
    return Math.min(heapLimit, flags.workerOldMb * MIB);
  }
  const args = [...(flags.nodeOptions?.split(/\s+/).filter(Boolean) ?? []), ...flags.execArgv];
  const mb = lastFlag(args, '--max-old-space-size');
  if (mb !== undefined) return Math.min(heapLimit, mb * MIB);
  const pct = lastFlag(args, '--max-old-space-size-percentage');
  if (pct !== undefined && pct <= 100) return Math.min(heapLimit, (flags.memory() * pct) / 100);
  // Sized by V8 from the machine's memory: at most three semi-spaces of 1/64 of the old
  // generation each, so the old generation is at least 64/67 of the total.
  return (heapLimit * 64) / 67;
}

/**
 * Whether the heap counts as near its limit, with hysteresis: entered when the headroom is
 * under the margin, left when it is back over twice the margin (a GC that frees a little does
 * not flip it back and forth). The headroom is the old generation's limit less all of
 * `heapUsed`, young objects included: a large object is born in the young generation's own
 * space and promoted whole at the next scavenge, and V8 can die at that promotion, so counting
 * the old spaces alone missed a leak of large arrays (measured on Node 24). Counting the young
 * ones too can only start writing through early.
 */
export function nearHeapLimit(heapUsed: number, oldLimit: number, wasNear: boolean): boolean {
  if (!(oldLimit > 0)) return false;
  return oldLimit - heapUsed < (wasNear ? 2 : 1) * margin(oldLimit);
}
