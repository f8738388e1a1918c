import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { errorInsightExpress } from '../../src/http/express-error-handler.js';
import { flushedRecords as records, testLogger } from '../helpers/test-logger.js';
import { type Answer, baseUrl, request } from './http-server.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validRecord = ajv.compile(
  JSON.parse(await readFile(new URL('../../schema/error-record.schema.json', import.meta.url), 'utf8')),
);

const servers: Server[] = [];
afterEach(async () => {
  setDiagnosticWriter();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A small video API; `install` adds error-insight's handler (or nothing) where an app would. */
function videoApp(install: (app: express.Express) => void, ownHandler = true): express.Express {
  const app = express();
  const api = express.Router();
  api.get('/videos/:id', (req) => {
    throw new Error(`render failed for ${req.params.id}`);
  });
  api.get('/videos/:id/frames', async () => {
    await new Promise((r) => setImmediate(r));
    throw new Error('frame decoder crashed');
  });
  api.get('/missing/:id', (_req, _res, next) => next(new HttpError(404, 'no such video')));
  api.get('/', () => {
    throw new Error('index broke');
  });
  app.use('/api', api);
  app.get('/reset/:token', () => {
    throw new Error('reset failed');
  });
  install(app);
  if (ownHandler) {
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status = err instanceof HttpError ? err.status : 503;
      res.status(status).set('x-handled-by', 'app').json({ problem: err.message });
    });
  }
  return app;
}

async function listen(app: express.Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return baseUrl(server);
}

describe('errorInsightExpress', () => {
  it('records a failing route with its request and leaves the app’s own response as it was', async () => {
    const { logger, dir } = await testLogger();
    const plain = await listen(videoApp(() => {}));
    const withInsight = await listen(videoApp((app) => app.use(errorInsightExpress({ logger }))));

    const path = '/api/videos/3a7bd3e2f?session=abc123&x=1';
    const before = await request(`${plain}${path}`);
    const after = await request(`${withInsight}${path}`);
    expect(after).toEqual<Answer>(before);
    expect(after.status).toBe(503);
    expect(JSON.parse(after.body)).toEqual({ problem: 'render failed for 3a7bd3e2f' });

    const [record, ...rest] = await records(logger, dir);
    expect(rest).toHaveLength(0);
    expect(record?.exception).toMatchObject({ type: 'Error', message: 'render failed for 3a7bd3e2f' });
    expect(record?.request).toEqual({
      method: 'GET',
      route: '/api/videos/:id',
      path: '/api/videos/3a7bd3e2f',
      status: 500,
      peer: '127.0.0.1',
    });
    expect(JSON.stringify(record)).not.toContain('abc123');
    expect(validRecord(record), JSON.stringify(validRecord.errors)).toBe(true);
  });

  it('keeps Express’s default 500 page when the app has no error handler of its own', async () => {
    const { logger, dir } = await testLogger();
    const plain = await listen(videoApp(() => {}, false));
    const withInsight = await listen(videoApp((app) => app.use(errorInsightExpress({ logger })), false));
    const before = await request(`${plain}/api/videos/v1/frames`);
    const after = await request(`${withInsight}/api/videos/v1/frames`);
    expect(after).toEqual(before);
    expect(after.status).toBe(500);
    const [record] = await records(logger, dir);
    expect(record?.exception.message).toBe('frame decoder crashed');
    expect(record?.request).toMatchObject({ route: '/api/videos/:id/frames', status: 500 });
  });

  it('leaves client errors out by default and records them when shouldRecord says so', async () => {
    const quiet = await testLogger();
    const all = await testLogger();
    const seen: Array<[string, number]> = [];
    const q = await listen(videoApp((app) => app.use(errorInsightExpress({ logger: quiet.logger }))));
    const a = await listen(
      videoApp((app) =>
        app.use(
          errorInsightExpress({
            logger: all.logger,
            shouldRecord: (err, status) => {
              seen.push([(err as Error).message, status]);
              return true;
            },
          }),
        ),
      ),
    );
    expect((await request(`${q}/api/missing/v9`)).status).toBe(404);
    expect((await request(`${a}/api/missing/v9`)).status).toBe(404);
    expect(await records(quiet.logger, quiet.dir)).toHaveLength(0);
    const [record] = await records(all.logger, all.dir);
    expect(seen).toEqual([['no such video', 404]]);
    expect(record?.exception).toMatchObject({ type: 'HttpError', message: 'no such video' });
    expect(record?.request).toMatchObject({
      route: '/api/missing/:id',
      path: '/api/missing/v9',
      status: 404,
    });
  });

  it('redacts a credential in the path and takes the mount path of a router’s index route', async () => {
    const { logger, dir } = await testLogger();
    const url = await listen(videoApp((app) => app.use(errorInsightExpress({ logger }))));
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTcifQ.c2lnbmF0dXJl';
    await request(`${url}/reset/${jwt}`);
    await request(`${url}/api/`);
    const [reset, index] = await records(logger, dir);
    expect(reset?.request?.route).toBe('/reset/:token');
    expect(reset?.request?.path).toMatch(/^\/reset\/\S+$/);
    expect(JSON.stringify(reset)).not.toContain('eyJzdWIiOiJ1c2VyLTcifQ');
    expect(index?.request).toMatchObject({ route: '/api', path: '/api/' });
  });

  it('records an error already logged in the route once, with its first record', async () => {
    const { logger, dir } = await testLogger();
    const app = express();
    app.get('/jobs/:id', (_req, _res, next) => {
      const err = new Error('queue full');
      logger.logStructuredError(err, { job: 'j1' });
      next(err);
    });
    app.use(errorInsightExpress({ logger }));
    const url = await listen(app);
    expect((await request(`${url}/jobs/1`)).status).toBe(500);
    const lines = await records(logger, dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.context).toEqual({ job: 'j1' });
  });

  it('still passes the error on and records it when shouldRecord throws, saying so once', async () => {
    const diagnostics: string[] = [];
    setDiagnosticWriter((line) => diagnostics.push(line));
    const { logger, dir } = await testLogger();
    const url = await listen(
      videoApp((app) =>
        app.use(
          errorInsightExpress({
            logger,
            shouldRecord: () => {
              throw new Error('filter bug');
            },
          }),
        ),
      ),
    );
    const answers = [await request(`${url}/api/videos/a`), await request(`${url}/api/videos/b`)];
    expect(answers.map((a) => [a.status, JSON.parse(a.body).problem])).toEqual([
      [503, 'render failed for a'],
      [503, 'render failed for b'],
    ]);
    // One fingerprint: the second is a compact repeat line on disk, read back whole.
    expect((await records(logger, dir)).map((r) => [r.exception.message, r.request?.path])).toEqual([
      ['render failed for a', '/api/videos/a'],
      ['render failed for b', '/api/videos/b'],
    ]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toContain('filter bug');
  });

  it('uses the process-wide logger when none is given, looked up at the error', async () => {
    const { logger, dir } = await testLogger();
    const { setDefaultExportLogger } = await import('../../src/logger/default-logger.js');
    const url = await listen(videoApp((app) => app.use(errorInsightExpress())));
    setDefaultExportLogger(logger);
    try {
      await request(`${url}/api/videos/late`);
    } finally {
      setDefaultExportLogger(undefined);
    }
    expect((await records(logger, dir)).map((r) => r.exception.message)).toEqual(['render failed for late']);
  });

  it('passes on a hostile error whose status getter throws, recorded as a 500', async () => {
    const { logger, dir } = await testLogger();
    const app = express();
    app.get('/hostile', () => {
      const err = new Error('hostile');
      Object.defineProperty(err, 'status', {
        get() {
          throw new Error('getter trap');
        },
      });
      throw err;
    });
    app.use(errorInsightExpress({ logger }));
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(502).send(`handled ${err.message}`);
    });
    const url = await listen(app);
    expect(await request(`${url}/hostile`)).toMatchObject({ status: 502, body: 'handled hostile' });
    const [record] = await records(logger, dir);
    expect(record?.exception.message).toBe('hostile');
    expect(record?.request?.status).toBe(500);
  });

  it('rejects bad options at the call', () => {
    expect(() => errorInsightExpress(null as never)).toThrow(TypeError);
    expect(() => errorInsightExpress({ shouldRecord: 5 as never })).toThrow(
      /shouldRecord must be a function/,
    );
    expect(() => errorInsightExpress({ logger: {} as never })).toThrow(/logger must be an ExportLogger/);
  });
});
