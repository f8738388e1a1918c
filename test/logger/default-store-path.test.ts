import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const DIST = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));

/** What an application does with the default store; each outcome is printed as one JSON line. */
const APP = `
import * as ei from ${JSON.stringify(DIST)};
const out = (k, v) => process.stdout.write(JSON.stringify({ [k]: v }) + '\\n');
const attempt = (k, f) => { try { out(k, { ok: f() }); } catch (e) { out(k, { threw: e.message }); } };
attempt('logExportError', () => ei.logExportError(new Error('disk quota')).exception.message);
attempt('succeeds', () => ei.withErrorLogging({ phase: 'RENDERING' })((n) => n * 2)(21));
attempt('fails', () => ei.withErrorLogging({ phase: 'RENDERING' })(() => { throw new RangeError('own error'); })());
try {
  await ei.withErrorLogging({ phase: 'ENCODING' })(async () => { throw new Error('own async error'); })();
} catch (e) { out('asyncFails', { threw: e.message }); }
out('stats', ei.getExportLogger().getErrorStats().store);
attempt('register', () => typeof ei.registerErrorInstrumentation({ registerGlobal: false }).shutdown);
`;

async function runApp(cwd: string) {
  const r = await runProcess(process.execPath, ['--input-type=module', '-e', APP], { cwd });
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  type Outcome = { ok?: unknown; threw?: string };
  type Stats = { state: string; written: number; dropped: number };
  return { ...r, out: Object.assign({}, ...lines) as Record<string, Outcome> & { stats: Stats } };
}

describe('the default store path taken by something else', () => {
  for (const kind of ['a file', 'a symlink to a directory', 'a dangling symlink'] as const) {
    it(`leaves the application's own results and errors alone when .error-insight is ${kind}`, async () => {
      const cwd = await tempDir();
      const victim = join(cwd, 'victim');
      if (kind === 'a file') await writeFile(join(cwd, '.error-insight'), 'not a store');
      else {
        if (kind === 'a symlink to a directory') await mkdir(victim);
        await symlink(victim, join(cwd, '.error-insight'));
      }
      const r = await runApp(cwd);
      expect(r.code).toBe(0);
      expect(r.out.logExportError).toEqual({ ok: 'disk quota' });
      expect(r.out.succeeds).toEqual({ ok: 42 });
      expect(r.out.fails).toEqual({ threw: 'own error' });
      expect(r.out.asyncFails).toEqual({ threw: 'own async error' });
      expect(r.out.register).toEqual({ ok: 'function' });
      // Nothing was written anywhere, and every record is accounted for as dropped.
      expect(r.out.stats.state).toBe('unavailable');
      expect(r.out.stats.written).toBe(0);
      expect(r.out.stats.dropped).toBe(3);
      if (kind === 'a symlink to a directory') expect(await readdir(victim)).toEqual([]);
      if (kind === 'a file') expect(await readFile(join(cwd, '.error-insight'), 'utf8')).toBe('not a store');
      // Said once, not once per record.
      const said = r.stderr.split('\n').filter((l) => l.includes('no local store'));
      expect(said).toHaveLength(1);
    });
  }

  it('still refuses the same path at the call when the application names it explicitly', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'taken'), '');
    expect(() => new JsonlStore({ logFile: join(cwd, 'taken', 'errors.jsonl') })).toThrow(TypeError);
    await symlink(join(cwd, 'elsewhere'), join(cwd, 'link'));
    expect(() => new JsonlStore({ logFile: join(cwd, 'link', 'errors.jsonl') })).toThrow(/symbolic link/);
  });
});
