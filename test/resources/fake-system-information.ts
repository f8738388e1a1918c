import type { SystemInformationPort } from '../../src/resources/system-information-port.js';

/** A systeminformation stand-in that counts calls and answers with fixed figures. */
export function fakeSystemInformation(figures: { total?: number; available?: number } = {}) {
  const calls = { mem: 0 };
  const total = figures.total ?? 8_000;
  const available = figures.available ?? 2_000;
  const port: SystemInformationPort = {
    async mem() {
      calls.mem++;
      return {
        total,
        free: available / 2,
        used: total - available / 2,
        available,
        swaptotal: 100,
        swapused: 25,
      };
    },
  };
  return { port, calls };
}

/** A statfs stand-in: 4096-byte blocks, 1000 of them, `bavail` of them available. */
export function fakeStatfs(bavail = 250) {
  const paths: string[] = [];
  const statfs = async (path: string) => {
    paths.push(path);
    return { bsize: 4096, blocks: 1000, bfree: bavail + 10, bavail };
  };
  return { statfs, paths };
}

/** CPU tick totals that advance by 100 per call, `utilization` of them busy. */
export function fakeCpuTimes(utilization: number) {
  let n = 0;
  return () => {
    n++;
    return { idle: n * 100 * (1 - utilization), total: n * 100 };
  };
}
