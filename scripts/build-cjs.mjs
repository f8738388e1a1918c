// Builds the CommonJS entry (the package's `require` condition) from the compiled ES build in
// dist/src: a bundle for Node versions that cannot require() an ES module, the entry that picks
// it, and the declarations again under a CommonJS scope so TypeScript's node16/nodenext
// resolution types `require('error-insight')` as CommonJS.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const out = 'dist/cjs';
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

await build({
  entryPoints: ['dist/src/index.js'],
  outfile: `${out}/bundle.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Dependencies stay packages of their own: the app's copy of the OpenTelemetry API is the one used.
  packages: 'external',
  // The one `import.meta.url` (a require() anchored at this package) becomes this file's URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: false,
  logLevel: 'warning',
});

await writeFile(
  `${out}/index.cjs`,
  `'use strict';
// Where Node can require() an ES module (20.19+, 22.12+), this is the ES build itself, so an app
// that loads error-insight both ways still has one default logger and one crash monitor.
module.exports = process.features.require_module ? require('../src/index.js') : require('./bundle.cjs');
`,
);
await cp('dist/src', out, {
  recursive: true,
  filter: (src) => !/\.(js|js\.map)$/.test(src),
});
await writeFile(`${out}/package.json`, `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
