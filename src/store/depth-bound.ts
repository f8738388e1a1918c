/**
 * Records are written within the capture's depth limit, but a store file can hold lines from
 * anywhere (another tool, an older version, a hand edit). A record nested thousands of levels
 * deep makes every recursive consumer (`JSON.stringify` in the reports and `tail --json`)
 * overflow the stack, so readers cut records to {@link MAX_READ_DEPTH} levels, iteratively.
 */

/** Levels of objects and arrays a record read back may have; deeper values become {@link DEPTH_MARKER}. */
export const MAX_READ_DEPTH = 64;
/** What stands where a value was cut for depth. */
export const DEPTH_MARKER = '[depth limit]';

/**
 * Whether a line of JSON text may nest deeper than `max`: fewer opening brackets than `max`
 * cannot. Stops counting at `max`, so a normal record costs a few native searches.
 */
export function mayNestDeeper(text: string, max = MAX_READ_DEPTH): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n < max; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n < max; i = text.indexOf('[', i + 1)) n++;
  return n >= max;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/**
 * Cuts `root` in place (it must be freshly parsed JSON, owned by the caller) so that no value
 * sits deeper than `max` levels; returns true when anything was cut. Iterative: any depth.
 */
export function cutDeepInPlace(root: Container, max = MAX_READ_DEPTH): boolean {
  let cut = false;
  const stack: Array<[Container, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (!isContainer(child)) continue;
      if (depth >= max) {
        (node as Record<string, unknown>)[key] = DEPTH_MARKER;
        cut = true;
      } else stack.push([child, depth + 1]);
    }
  }
  return cut;
}

/** Whether `root` has values deeper than `max` levels (iterative; cycles are not followed twice). */
export function nestsDeeper(root: unknown, max = MAX_READ_DEPTH): boolean {
  if (!isContainer(root)) return false;
  const seen = new Set<object>();
  const stack: Array<[Container, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (!isContainer(child)) continue;
      if (depth >= max) return true;
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Containers one {@link cutDeepCopy} copies at most (an object graph with shared nodes can be huge as a tree). */
const MAX_COPIED_NODES = 100_000;

/** A copy of `root` cut to `max` levels, leaving `root` as it is (for records a caller owns). */
export function cutDeepCopy<T>(root: T, max = MAX_READ_DEPTH): T {
  if (!isContainer(root)) return root;
  const copy = (v: Container): Container => (Array.isArray(v) ? [...v] : { ...v });
  const top = copy(root);
  const stack: Array<[Container, number]> = [[top, 1]];
  let copied = 1;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (!isContainer(child)) continue;
      if (depth >= max || copied >= MAX_COPIED_NODES) (node as Record<string, unknown>)[key] = DEPTH_MARKER;
      else {
        const c = copy(child);
        copied++;
        (node as Record<string, unknown>)[key] = c;
        stack.push([c, depth + 1]);
      }
    }
  }
  return top as T;
}
