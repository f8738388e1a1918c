import type { SystemInformationPort } from '../../src/resources/system-information-port.js';

/** A systeminformation stand-in that counts calls and answers with fixed figures. */
export function fakeSystemInformation(figures: { total?: number; available?: number; load?: number } = {}) {
  const calls = { mem: 0, currentLoad: 0 };
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
    async currentLoad() {
      calls.currentLoad++;
      return { currentLoad: figures.load ?? 40 };
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
