import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(import.meta.dirname, '../..');
const DIST_SRC = join(REPO, 'dist', 'src');
const BUNDLE = join(DIST_SRC, 'bundle');

/**
 * What the files a process loaded stand for, as repository paths: a compiled module of
 * dist/src is its TypeScript source (`src/x/y.ts`); a file of the bundle (dist/src/bundle)
 * stands for every source its map lists, and the bundle file itself is kept
 * (`dist/src/bundle/…`); anything else (packages, built-ins) is returned as it came.
 */
export async function loadedSources(urls: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const url of urls) {
    if (!url.startsWith('file:')) {
      out.push(url);
      continue;
    }
    const file = fileURLToPath(url);
    if (file.startsWith(`${BUNDLE}/`)) {
      out.push(relative(REPO, file));
      const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
      // Modules the build made up (`otel-require:…`, a package's require()) have no file.
      for (const source of map.sources)
        if (!source.includes(':')) out.push(relative(REPO, resolve(dirname(file), source)));
    } else if (file.startsWith(`${DIST_SRC}/`) && file.endsWith('.js')) {
      out.push(
        relative(REPO, file)
          .replace(/^dist\//, '')
          .replace(/\.js$/, '.ts'),
      );
    } else {
      out.push(url);
    }
  }
  return [...new Set(out)];
}
