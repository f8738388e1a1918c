import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';

const fixture = fileURLToPath(new URL('./fixtures/integrations-loaded.mjs', import.meta.url));

describe('the integrations at run time', () => {
  it('load no web framework, no pino and no transport code with the main entry', async () => {
    const result = await runProcess(process.execPath, [fixture]);
    expect(result.stderr).toBe('');
    const loaded = JSON.parse(result.stdout) as {
      handler: number;
      plugin: string;
      hooks: string;
      packages: string[];
    };
    // Express tells error handlers apart by their four parameters.
    expect(loaded).toMatchObject({ handler: 4, plugin: 'function', hooks: 'function' });
    expect(
      loaded.packages.filter((p) => /express|fastify|pino|thread-stream|sonic-boom|split2|router/.test(p)),
    ).toEqual([]);
  });
});
