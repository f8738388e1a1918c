import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorInsightFastify } from '../../src/http/fastify-error-plugin.js';
import { flushedRecords as records, testLogger } from '../helpers/test-logger.js';
import { type Answer, request } from './http-server.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

type Setup = (app: FastifyInstance) => Promise<void>;

/** A small video API with routes in a prefixed, encapsulated child; `install` runs first. */
async function videoApp(install: Setup, ownHandler: boolean): Promise<string> {
  const app = Fastify({ logger: false });
  apps.push(app);
  await install(app);
  if (ownHandler) {
    app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
      reply
        .code(err.statusCode === 404 ? 404 : 503)
        .header('x-handled-by', 'app')
        .send({ problem: err.message });
    });
  }
  await app.register(
    async (api) => {
      api.get<{ Params: { id: string } }>('/videos/:id', async (req) => {
        throw new Error(`render failed for ${req.params.id}`);
      });
      api.get('/missing/:id', async () => {
        throw Object.assign(new Error('no such video'), { statusCode: 404 });
      });
      api.post(
        '/jobs',
        {
          schema: {
            body: { type: 'object', required: ['video'], properties: { video: { type: 'string' } } },
          },
        },
        async () => ({ ok: true }),
      );
    },
    { prefix: '/api' },
  );
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const withPlugin =
  (options: Parameters<typeof errorInsightFastify>[1]): Setup =>
  async (app) => {
    await app.register(errorInsightFastify, options);
  };

describe('errorInsightFastify', () => {
  for (const ownHandler of [true, false]) {
    it(`records a failing route with its request and leaves the reply as it was (${ownHandler ? 'setErrorHandler' : 'default handler'})`, async () => {
      const { logger, dir } = await testLogger();
      const plain = await videoApp(async () => {}, ownHandler);
      const observed = await videoApp(withPlugin({ logger }), ownHandler);
      const path = '/api/videos/3a7bd3e2f?token=abc123';
      const before = await request(`${plain}${path}`);
      const after = await request(`${observed}${path}`);
      expect(after).toEqual<Answer>(before);
      expect(after.status).toBe(ownHandler ? 503 : 500);

      const lines = await records(logger, dir);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.exception).toMatchObject({ type: 'Error', message: 'render failed for 3a7bd3e2f' });
      expect(lines[0]?.request).toEqual({
        method: 'GET',
        route: '/api/videos/:id',
        path: '/api/videos/3a7bd3e2f',
        status: 500,
        peer: '127.0.0.1',
      });
      expect(JSON.stringify(lines[0])).not.toContain('abc123');
    });
  }

  it('leaves 404s and validation errors out by default, and records them when shouldRecord says so', async () => {
    const quiet = await testLogger();
    const all = await testLogger();
    const q = await videoApp(withPlugin({ logger: quiet.logger }), false);
    const a = await videoApp(withPlugin({ logger: all.logger, shouldRecord: () => true }), false);
    for (const url of [q, a]) {
      expect((await request(`${url}/api/missing/v9`)).status).toBe(404);
      const bad = await request(`${url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(bad.status).toBe(400);
    }
    expect(await records(quiet.logger, quiet.dir)).toHaveLength(0);
    const lines = await records(all.logger, all.dir);
    expect(lines.map((r) => r.request)).toEqual([
      { method: 'GET', route: '/api/missing/:id', path: '/api/missing/v9', status: 404, peer: '127.0.0.1' },
      { method: 'POST', route: '/api/jobs', path: '/api/jobs', status: 400, peer: '127.0.0.1' },
    ]);
    expect(lines[1]?.exception.message).toContain("must have required property 'video'");
  });

  it('covers the routes of child plugins registered before and after it, since it is not encapsulated', async () => {
    const { logger, dir } = await testLogger();
    const app = Fastify();
    apps.push(app);
    await app.register(async (early) => {
      early.get('/encode', async () => {
        throw new TypeError('codec is undefined');
      });
    });
    await app.register(errorInsightFastify, { logger });
    await app.register(
      async (late) => {
        late.get('/upload', async () => {
          throw new RangeError('part size out of range');
        });
      },
      { prefix: '/v2' },
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await request(`${url}/encode`)).status).toBe(500);
    expect((await request(`${url}/v2/upload`)).status).toBe(500);
    const lines = await records(logger, dir);
    expect(lines.map((r) => [r.exception.type, r.request?.route])).toEqual([
      ['TypeError', '/encode'],
      ['RangeError', '/v2/upload'],
    ]);
  });

  it('fails register with a clear error for bad options', async () => {
    const app = Fastify();
    apps.push(app);
    await expect(app.register(errorInsightFastify, { shouldRecord: 'yes' as never })).rejects.toThrow(
      /shouldRecord must be a function/,
    );
  });
});
