import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

/**
 * `npm pack` of the built package (dist/ must be built: `npm test` does). Scripts are skipped:
 * `prepare` would rebuild dist/ under the tests that are running it.
 */
export function pack(destination: string): { tarball: string; files: PackedFile[] } {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out) as [{ filename: string; files: PackedFile[] }];
  return { tarball: join(destination, info.filename), files: info.files };
}

/**
 * A consumer project in a temp dir with the packed tarball unpacked as
 * node_modules/error-insight, as npm installs it; its dependencies (and the peer
 * `@opentelemetry/api`, TypeScript's `@types/node`) are links to this repository's installed copies,
 * since the tests run without the network.
 */
export async function consumerProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ei-consumer-'));
  const modules = join(dir, 'node_modules');
  const target = join(modules, 'error-insight');
  await mkdir(target, { recursive: true });
  const { tarball } = pack(dir);
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  for (const entry of await readdir(join(REPO, 'node_modules'))) {
    if (entry === '.bin' || entry === '.package-lock.json' || entry === 'error-insight') continue;
    if (entry.startsWith('@')) {
      await mkdir(join(modules, entry), { recursive: true });
      for (const scoped of await readdir(join(REPO, 'node_modules', entry))) {
        await symlink(join(REPO, 'node_modules', entry, scoped), join(modules, entry, scoped));
      }
    } else {
      await symlink(join(REPO, 'node_modules', entry), join(modules, entry));
    }
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

export const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
