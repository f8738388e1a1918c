// Bundles the ES entries (the package's `import` condition and `error-insight/pino`) from the
// compiled modules in dist/src into dist/src/bundle. Node loads an ES module graph one file at
// a time (resolve, read, compile, link), and the ~150 modules behind the entry cost more than
// their code runs; a dozen files cost a fraction of that. Code that runs only on first use stays
// behind `import()` in chunks of its own, external packages included. Run after tsc and
// build-cjs.mjs (which bundles from the compiled entry).
//
// Every bundled file sits in dist/src/bundle, one level below dist/src as the compiled modules
// are, so a module that finds the library's directory from its own URL (`new URL('..',
// import.meta.url)`) still finds dist/src. dist/src/index.js and dist/src/pino/pino-transport.js
// become one-line re-exports of their bundles; the declarations beside them stay tsc's.
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * The OpenTelemetry packages are CommonJS. An ES `import` of a CommonJS package makes Node lex
 * its source and every file it re-exports from to find the names, even when the package is
 * already loaded: ~14 ms for api, core, resources and sdk-trace-base here, more than their code
 * takes to run. The bundle `require()`s them instead, which is the very module an `import` would
 * give wherever `import` and `require` resolve to the same file (checked here, at build time:
 * a package with an ES build for `import` stays an `import`).
 */
const requireOpenTelemetry = {
  name: 'require-opentelemetry',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\// }, (args) => {
      if (args.namespace === 'otel-require' || args.kind !== 'import-statement') return undefined;
      const required = require.resolve(args.path);
      const imported = fileURLToPath(import.meta.resolve(args.path));
      if (required !== imported || !required.endsWith('.js')) return undefined;
      return { path: args.path, namespace: 'otel-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'otel-require' }, (args) => {
      const names = Object.keys(require(args.path)).filter(
        (n) => n !== 'default' && n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n),
      );
      const contents = [
        "import { createRequire } from 'node:module';",
        `const m = createRequire(import.meta.url)(${JSON.stringify(args.path)});`,
        `export const { ${names.join(', ')} } = m;`,
        'export default m;',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

const out = 'dist/src/bundle';
await rm(out, { recursive: true, force: true });

await build({
  entryPoints: { index: 'dist/src/index.js', 'pino-transport': 'dist/src/pino/pino-transport.js' },
  outdir: out,
  bundle: true,
  // One chunk per piece shared by the entries and the lazily imported parts: one copy of each
  // module (the default logger, the crash monitor) whichever entry loads it.
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay packages of their own: the app's copy of the OpenTelemetry API is the one used.
  packages: 'external',
  // Maps back to the TypeScript sources through tsc's maps (which embed them).
  sourcemap: 'linked',
  plugins: [requireOpenTelemetry],
  logLevel: 'warning',
});

const HEADER =
  '// The bundled entry (scripts/build-esm.mjs); the compiled modules beside it are its sources.\n';
await writeFile('dist/src/index.js', `${HEADER}export * from './bundle/index.js';\n`);
await writeFile(
  'dist/src/pino/pino-transport.js',
  `${HEADER}export { default } from '../bundle/pino-transport.js';\n`,
);
await rm('dist/src/index.js.map', { force: true });
await rm('dist/src/pino/pino-transport.js.map', { force: true });
