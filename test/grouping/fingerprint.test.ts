import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSION, fingerprintException } from '../../src/grouping/fingerprint.js';
import type { ExceptionInfo } from '../../src/record.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const root = '/srv/app';

function exc(frames: string[], over: Partial<ExceptionInfo> = {}): ExceptionInfo {
  return {
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'width')",
    stacktrace: ['TypeError: x', ...frames.map((f) => `    at ${f}`)].join('\n'),
    ...over,
  };
}

const frames = ['readWidth (/srv/app/src/job.ts:10:5)', 'runJob (/srv/app/src/run.ts:3:1)'];

describe('fingerprintException', () => {
  it('is the same after a redeploy to another directory with shifted lines, in real child processes', async () => {
    const fixture = await readFile(new URL('./fixtures/redeploy-app.mjs', import.meta.url), 'utf8');
    const env = {
      ...process.env,
      GROUPING_MODULE: pathToFileURL(resolve('dist/src/grouping/fingerprint.js')).href,
    };
    const base = await tempDir('grouping-redeploy-');
    const outputs: string[][] = [];
    for (const [dir, prefix] of [
      [join(base, 'machine-a', 'app'), ''],
      [join(base, 'machine-b', 'releases', 'v2', 'app'), '\n\n\n// shifted\n\n'],
    ] as const) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'job.mjs'), prefix + fixture);
      const { stdout } = await run(process.execPath, [join(dir, 'job.mjs')], { env });
      outputs.push(JSON.parse(stdout) as string[]);
    }
    const [a, b] = outputs;
    expect(a).toHaveLength(2);
    expect(a![0]).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toEqual(a);
    // readWidth and readHeight are two causes.
    expect(a![0]).not.toBe(a![1]);
  });

  it('is the same with and without --enable-source-maps for compiled TypeScript, through its source map', async () => {
    const dir = await tempDir('grouping-sourcemap-');
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await writeFile(
      join(dir, 'src', 'job.ts'),
      await readFile(new URL('./fixtures/source-mapped-job.ts', import.meta.url), 'utf8'),
    );
    const tsc = resolve('node_modules/typescript/bin/tsc');
    // Type errors do not matter here: tsc emits anyway, and the fixture has none.
    await run(process.execPath, [
      tsc,
      '--ignoreConfig',
      '--module',
      'nodenext',
      '--target',
      'es2022',
      '--sourceMap',
      '--outDir',
      join(dir, 'dist'),
      '--rootDir',
      join(dir, 'src'),
      join(dir, 'src', 'job.ts'),
    ]).catch(() => undefined);
    const env = { ...process.env, GROUPING_DIR: pathToFileURL(resolve('dist/src/grouping')).href };
    const runJob = async (flags: string[]) =>
      JSON.parse((await run(process.execPath, [...flags, join(dir, 'dist', 'job.js')], { env })).stdout) as {
        frames: Array<{ function: string; file: string }>;
        fingerprintV1: string;
        fingerprint: string;
        context: Array<{
          function: string;
          file: string;
          line: number;
          contextLine: string;
          mapped: boolean;
        }>;
      };
    const mapped = await runJob(['--enable-source-maps']);
    const plain = await runJob([]);
    // V8's own frames differ: TypeScript positions with the flag, compiled ones without…
    expect(mapped.frames[0]).toMatchObject({ function: 'readWidth', file: 'src/job.ts' });
    expect(plain.frames[0]).toMatchObject({ function: 'readWidth', file: 'dist/job.js' });
    expect(mapped.fingerprintV1).not.toBe(plain.fingerprintV1);
    // …but version 2 follows the source map itself, so both runs read the same TypeScript line.
    const line = 'return (job.meta as { width: number }).width;';
    expect(plain.context[0]).toMatchObject({ function: 'readWidth', file: 'src/job.ts', mapped: true });
    expect(mapped.context[0]).toMatchObject({ function: 'readWidth', file: 'src/job.ts', mapped: false });
    expect(plain.context[0]!.line).toBe(mapped.context[0]!.line);
    expect(plain.context[0]!.contextLine.trim()).toBe(line);
    expect(mapped.context[0]!.contextLine.trim()).toBe(line);
    expect(plain.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(mapped.fingerprint).toBe(plain.fingerprint);
  });

  it('ignores line and column numbers and the data in the message', () => {
    const a = fingerprintException(exc(frames), { projectRoot: root });
    const moved = exc(['readWidth (/srv/app/src/job.ts:99:1)', 'runJob (/srv/app/src/run.ts:40:2)'], {
      message: "Cannot read properties of undefined (reading 'width')",
    });
    expect(fingerprintException(moved, { projectRoot: root }).fingerprint).toBe(a.fingerprint);
    expect(a.version).toBe(FINGERPRINT_VERSION);
    expect(a.template).toBe("Cannot read properties of undefined (reading 'width')");
  });

  it('differs by type, by code, by in-app function and by file', () => {
    const base = fingerprintException(exc(frames), { projectRoot: root }).fingerprint;
    const variants = [
      exc(frames, { type: 'RangeError' }),
      exc(frames, { code: 'ERR_X' }),
      exc(['readHeight (/srv/app/src/job.ts:10:5)', 'runJob (/srv/app/src/run.ts:3:1)']),
      exc(['readWidth (/srv/app/src/other.ts:10:5)', 'runJob (/srv/app/src/run.ts:3:1)']),
    ].map((e) => fingerprintException(e, { projectRoot: root }).fingerprint);
    expect(new Set([base, ...variants]).size).toBe(5);
  });

  it('leaves dependency and node: frames out, and uses at most maxFrames in-app frames', () => {
    const withDeps = exc([
      'readWidth (/srv/app/src/job.ts:10:5)',
      'Object.wrap (/srv/app/node_modules/lib/index.js:1:1)',
      'runJob (/srv/app/src/run.ts:3:1)',
      'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ]);
    const fp = (e: ExceptionInfo, maxFrames?: number) =>
      fingerprintException(
        e,
        maxFrames === undefined ? { projectRoot: root } : { projectRoot: root, maxFrames },
      ).fingerprint;
    expect(fp(withDeps)).toBe(fp(exc(frames)));
    expect(fp(exc(frames), 1)).toBe(
      fp(exc(['readWidth (/srv/app/src/job.ts:1:1)', 'other (/srv/app/src/o.ts:1:1)']), 1),
    );
    expect(fp(exc(frames), 2)).not.toBe(
      fp(exc(['readWidth (/srv/app/src/job.ts:1:1)', 'other (/srv/app/src/o.ts:1:1)']), 2),
    );
  });

  it('falls back to type, code and template (and the phase) when no frame is in-app', () => {
    const refused = (port: number): ExceptionInfo => ({
      type: 'Error',
      code: 'ECONNREFUSED',
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      stacktrace: `Error: connect ECONNREFUSED 127.0.0.1:${port}\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)`,
    });
    const o = { projectRoot: root };
    const a = fingerprintException(refused(1234), o).fingerprint;
    expect(fingerprintException(refused(5678), o).fingerprint).toBe(a);
    const enc = fingerprintException(refused(1234), o, undefined, { phase: 'ENCODING' }).fingerprint;
    const up = fingerprintException(refused(5678), o, undefined, { phase: 'UPLOADING' }).fingerprint;
    expect(new Set([a, enc, up]).size).toBe(3);
    expect(fingerprintException(refused(9), o, undefined, { phase: 'ENCODING' }).fingerprint).toBe(enc);
  });

  it('tells wrappers apart by the type, code and template of their causes', () => {
    const wrap = (cause: ExceptionInfo['causes']) =>
      exc(frames, { type: 'Error', message: 'fetch failed', causes: cause });
    const o = { projectRoot: root };
    const refusedA = fingerprintException(
      wrap([{ type: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }]),
      o,
    );
    const refusedB = fingerprintException(
      wrap([{ type: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2' }]),
      o,
    );
    const notFound = fingerprintException(
      wrap([{ type: 'Error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND cdn' }]),
      o,
    );
    expect(refusedB.fingerprint).toBe(refusedA.fingerprint);
    expect(notFound.fingerprint).not.toBe(refusedA.fingerprint);
  });

  it('lets a custom fingerprint override the default, extend it with {{ default }}, or keep it', () => {
    const e = exc(frames);
    const plain = fingerprintException(e, { projectRoot: root }).fingerprint;
    const byVideo = (context: { videoHash?: string }) =>
      fingerprintException(
        e,
        {
          projectRoot: root,
          custom: (_e, c) => (c.videoHash === undefined ? undefined : ['{{ default }}', c.videoHash]),
        },
        undefined,
        context,
      ).fingerprint;
    expect(byVideo({})).toBe(plain);
    expect(byVideo({ videoHash: 'v1' })).not.toBe(plain);
    expect(byVideo({ videoHash: 'v1' })).toBe(byVideo({ videoHash: 'v1' }));
    expect(byVideo({ videoHash: 'v2' })).not.toBe(byVideo({ videoHash: 'v1' }));

    const grouped = (message: string) =>
      fingerprintException(exc(frames, { message }), {
        projectRoot: root,
        custom: () => ['all-width-errors'],
      });
    expect(grouped('a').fingerprint).toBe(grouped('completely different').fingerprint);
    expect(grouped('a').fingerprint).not.toBe(plain);
  });

  it('gives an override on the call precedence over the custom option', () => {
    const o = { projectRoot: root, custom: () => ['from-option'] };
    const viaOption = fingerprintException(exc(frames), o).fingerprint;
    const viaCall = fingerprintException(exc(frames), o, ['from-call']).fingerprint;
    const viaCallOnly = fingerprintException(exc(frames), { projectRoot: root }, ['from-call']).fingerprint;
    expect(viaCall).not.toBe(viaOption);
    expect(viaCall).toBe(viaCallOnly);
  });

  it('keeps the default when the custom hook throws or returns something else than strings', () => {
    const plain = fingerprintException(exc(frames), { projectRoot: root }).fingerprint;
    const throwing = fingerprintException(exc(frames), {
      projectRoot: root,
      custom: () => {
        throw new Error('hook bug');
      },
    });
    const junk = fingerprintException(exc(frames), {
      projectRoot: root,
      custom: () => [42] as unknown as string[],
    });
    const empty = fingerprintException(exc(frames), { projectRoot: root, custom: () => [] });
    expect([throwing.fingerprint, junk.fingerprint, empty.fingerprint]).toEqual([plain, plain, plain]);
  });

  it('never throws, even for a malformed exception or options', () => {
    const odd = { type: 'Error', message: 'x', causes: [null] } as unknown as ExceptionInfo;
    const fp = fingerprintException(odd, { projectRoot: root });
    expect(fp.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintException(null as unknown as ExceptionInfo, null as never).fingerprint).toMatch(
      /^[0-9a-f]{16}$/,
    );
  });

  it('fingerprints non-Errors (no stack) by type and template', () => {
    const s = (m: string) => fingerprintException({ type: 'string', message: m }, { projectRoot: root });
    expect(s('job 7 aborted').fingerprint).toBe(s('job 1234 aborted').fingerprint);
    expect(s('job 7 aborted').fingerprint).not.toBe(s('job 7 paused').fingerprint);
  });
});
