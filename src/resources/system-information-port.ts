/**
 * The one systeminformation call the sampler makes: on Linux `mem()` reads /proc/meminfo with an
 * async readFile (measured 0.12-0.2 ms to the next loop turn, 0.8 ms on the first call). `currentLoad()` is
 * not used: on Linux it runs `execSync('cat /proc/stat | grep cpu')` whenever its last call is
 * over 200 ms old, which measured a 5-9 ms stall of the event loop here.
 */
export interface SystemInformationPort {
  /** Named in degraded reasons. @default 'systeminformation' */
  readonly name?: string;
  mem(): Promise<{
    total: number;
    free: number;
    used: number;
    available: number;
    swaptotal: number;
    swapused: number;
  }>;
}

/** Loads systeminformation; injected in tests. */
export type SystemInformationLoader = () => Promise<SystemInformationPort>;

/** Imports systeminformation on first use only, so a host that never samples never loads it. */
export const loadSystemInformation: SystemInformationLoader = async () => {
  const mod = (await import('systeminformation')) as unknown as SystemInformationPort & {
    default?: SystemInformationPort;
  };
  const si = typeof mod.mem === 'function' ? mod : (mod.default as SystemInformationPort);
  return { name: 'systeminformation', mem: () => si.mem() };
};

/** Thrown by {@link withTimeout} when a call takes too long. */
export class SampleTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = 'SampleTimeoutError';
  }
}

/** Races `promise` against an unref'd timer; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SampleTimeoutError(what, ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
