import assert from 'node:assert';
import buffer from 'node:buffer';
import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyException } from '../../src/classify/exception-classifier.js';

/** Runs `fn` and returns what it threw (sync or async); fails the test when it did not throw. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

function ruleOf(value: unknown): string {
  return classifyException(value).rule;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-classify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file system and disk errors from real calls', () => {
  it('classifies a real ENOENT from fs as filesystem/not-found, medium, not retryable', async () => {
    const err = await thrown(() => readFile(join(dir, 'missing.mp4')));
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'filesystem',
      subcategory: 'not-found',
      severity: 'medium',
      retryable: false,
      rule: 'filesystem.not-found',
      severityText: 'ERROR',
    });
  });

  it('classifies a real ENOSPC (writing to /dev/full) as disk/no-space', async () => {
    const err = await thrown(() => writeFile('/dev/full', 'frame data'));
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(classifyException(err)).toMatchObject({
      category: 'disk',
      subcategory: 'no-space',
      severity: 'high',
    });
  });

  it('classifies real EISDIR and EEXIST by their codes', async () => {
    const { mkdir } = await import('node:fs/promises');
    expect(ruleOf(await thrown(() => readFile(dir)))).toBe('filesystem.wrong-type');
    expect(ruleOf(await thrown(() => mkdir(dir)))).toBe('filesystem.already-exists');
    expect(classifyException(await thrown(() => mkdir(dir))).severityText).toBe('WARN');
  });

  it('classifies a real EBADF as a programming error', async () => {
    const { readSync } = await import('node:fs');
    const err = await thrown(() => readSync(987654, Buffer.alloc(1)));
    expect(ruleOf(err)).toBe('filesystem.bad-descriptor');
  });
});

describe('child processes', () => {
  it('classifies a real spawn ENOENT as a missing command, ahead of the generic ENOENT rule', async () => {
    const err = await new Promise<unknown>((resolve) => {
      spawn('definitely-not-a-command-ei', []).on('error', resolve);
    });
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'configuration',
      subcategory: 'command-not-found',
      rule: 'process.command-not-found',
    });
  });

  it('classifies a real EACCES (spawning a file that is not executable) as permission/access-denied', async () => {
    const script = join(dir, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o644 });
    const err = await new Promise<unknown>((resolve) => {
      spawn(script, []).on('error', resolve);
    });
    expect((err as NodeJS.ErrnoException).code).toBe('EACCES');
    expect(classifyException(err)).toMatchObject({ category: 'permission', subcategory: 'access-denied' });
  });

  it('classifies a real maxBuffer overflow of execFile as a resource limit', async () => {
    const err = await new Promise<unknown>((resolve) => {
      execFile(
        process.execPath,
        ['-e', 'process.stdout.write("x".repeat(4096))'],
        { maxBuffer: 16 },
        resolve,
      );
    });
    expect(ruleOf(err)).toBe('resource-limit.max-buffer');
  });
});

describe('network errors from real sockets on 127.0.0.1', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('classifies a real ECONNREFUSED as network/connection-refused, retryable', async () => {
    const port = await closedPort();
    const err = await new Promise<unknown>((resolve) => connect(port, '127.0.0.1').on('error', resolve));
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'network',
      subcategory: 'connection-refused',
      retryable: true,
      rule: 'network.connection-refused',
    });
  });

  it("finds ECONNREFUSED in the cause of fetch's TypeError('fetch failed')", async () => {
    const port = await closedPort();
    const err = await thrown(() => fetch(`http://127.0.0.1:${port}/`));
    expect((err as Error).name).toBe('TypeError');
    expect(ruleOf(err)).toBe('network.connection-refused');
  });

  it('classifies a real ECONNRESET from a server that resets the connection', async () => {
    const server = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const err = await new Promise<unknown>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\n\r\n'));
        socket.on('error', resolve);
      });
      expect((err as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      expect(classifyException(err)).toMatchObject({ category: 'network', subcategory: 'connection-reset' });
    } finally {
      server.close();
    }
  });
});

describe('HTTP status from a real server on 127.0.0.1', () => {
  class HttpError extends Error {
    constructor(readonly response: { status: number }) {
      super(`request failed with status ${response.status}`);
    }
  }
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      res.statusCode = Number(req.url?.slice(1));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(() => {
    server.close();
  });
  async function failed(status: number): Promise<HttpError> {
    const res = await fetch(base + status);
    return new HttpError({ status: res.status });
  }

  it.each([
    [401, 'http.unauthorized', 'http', false],
    [403, 'http.unauthorized', 'http', false],
    [404, 'http.not-found', 'http', false],
    [408, 'http.request-timeout', 'timeout', true],
    [409, 'http.conflict', 'http', false],
    [413, 'http.payload-too-large', 'http', false],
    [429, 'http.rate-limited', 'rate-limit', true],
    [422, 'http.client-error', 'http', false],
    [503, 'http.unavailable', 'http', true],
    [500, 'http.server-error', 'http', true],
  ] as const)('classifies response status %i by rule %s', async (status, rule, category, retryable) => {
    const c = classifyException(await failed(status));
    expect([c.rule, c.category, c.retryable]).toEqual([rule, category, retryable]);
  });

  it('reads the status from statusCode as well', () => {
    expect(ruleOf(Object.assign(new Error('got: Response code 502'), { statusCode: 502 }))).toBe(
      'http.unavailable',
    );
  });
});

describe('V8 errors', () => {
  it('classifies a real invalid array length as memory/invalid-array-length', async () => {
    const err = await thrown(() => new Array(-1));
    expect(classifyException(err)).toMatchObject({ category: 'memory', subcategory: 'invalid-array-length' });
    expect(ruleOf(await thrown(() => new Uint8Array(-1)))).toBe('memory.invalid-array-length');
  });

  it('classifies a real maximum call stack overflow', async () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    const err = await thrown(() => recurse(0));
    expect(classifyException(err)).toMatchObject({ category: 'programming', subcategory: 'stack-overflow' });
  });

  it('classifies a real string-length overflow and a failed ArrayBuffer allocation as memory', async () => {
    expect(ruleOf(await thrown(() => 'a'.repeat(2 ** 30)))).toBe('memory.invalid-string-length');
    const alloc = classifyException(await thrown(() => new ArrayBuffer(Number.MAX_SAFE_INTEGER)));
    expect([alloc.rule, alloc.severityText]).toEqual(['memory.allocation-failed', 'FATAL']);
  });

  it('classifies the heap OOM line a crashed Node child printed as FATAL memory', () => {
    const c = classifyException(
      new Error(
        'worker died: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      ),
    );
    expect([c.category, c.subcategory, c.severity, c.severityText]).toEqual([
      'memory',
      'heap-out-of-memory',
      'critical',
      'FATAL',
    ]);
  });

  it('classifies other real RangeErrors as programming/range-error', async () => {
    expect(ruleOf(await thrown(() => (1).toFixed(200)))).toBe('programming.range-error');
  });
});

describe('cancellation and timeouts', () => {
  it('classifies a real AbortError from node:timers (code ABORT_ERR) as aborted, WARN', async () => {
    const err = await thrown(() => delay(1000, undefined, { signal: AbortSignal.abort() }));
    expect((err as Error).name).toBe('AbortError');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'aborted',
      severity: 'low',
      severityText: 'WARN',
    });
  });

  it('classifies a real fetch AbortError (a DOMException) as aborted', async () => {
    const err = await thrown(() => fetch('http://127.0.0.1:9/', { signal: AbortSignal.abort() }));
    expect(ruleOf(err)).toBe('aborted');
  });

  it('classifies a real TimeoutError from AbortSignal.timeout as timeout, retryable', async () => {
    const signal = AbortSignal.timeout(1);
    await delay(20);
    const err = await thrown(() => signal.throwIfAborted());
    expect((err as Error).name).toBe('TimeoutError');
    expect(classifyException(err)).toMatchObject({ category: 'timeout', retryable: true, rule: 'timeout' });
  });

  it('classifies ETIMEDOUT and undici timeouts as network timeouts', () => {
    const etimedout = Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' });
    const undici = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect([ruleOf(etimedout), ruleOf(undici)]).toEqual(['timeout.network', 'timeout.network']);
  });
});

describe("Node's ERR_* codes and language errors from real calls", () => {
  it.each([
    [
      'ERR_INVALID_ARG_TYPE',
      () => Buffer.from(undefined as unknown as string),
      'programming.invalid-argument',
    ],
    // One past the limit of this Node version (4 GiB on Node 20, 2 ** 53 - 1 from Node 22 on).
    ['ERR_OUT_OF_RANGE', () => Buffer.alloc(buffer.constants.MAX_LENGTH + 1), 'programming.invalid-argument'],
    ['ERR_INVALID_URL', () => new URL('not a url'), 'validation.url'],
    ['ERR_ASSERTION', () => assert.strictEqual(1, 2), 'programming.assertion'],
    [
      'ERR_UNHANDLED_ERROR',
      () => new EventEmitter().emit('error', 'boom'),
      'programming.unhandled-error-event',
    ],
    ['ERR_MODULE_NOT_FOUND', () => import(join(dir, 'nope.mjs')), 'configuration.module-load'],
  ] as const)('classifies a real %s', async (code, fn, rule) => {
    const err = await thrown(fn);
    expect((err as NodeJS.ErrnoException).code).toBe(code);
    expect(ruleOf(err)).toBe(rule);
  });

  it('classifies a real write after end on a stream as stream misuse', async () => {
    const stream = new PassThrough();
    stream.end();
    const err = await new Promise<unknown>((resolve) => {
      stream.on('error', () => {});
      stream.write('x', resolve);
    });
    expect(ruleOf(err)).toBe('programming.stream-misuse');
  });

  it('classifies a real JSON.parse failure as parse/json, not as a generic SyntaxError', async () => {
    expect(ruleOf(await thrown(() => JSON.parse('{"truncated":')))).toBe('parse.json');
    expect(ruleOf(await thrown(() => JSON.parse('<html>502 Bad Gateway</html>')))).toBe('parse.json');
    const userPattern = '(unclosed';
    expect(ruleOf(await thrown(() => new RegExp(userPattern)))).toBe('programming.syntax-error');
  });

  it('classifies real TypeError and ReferenceError', async () => {
    const job = undefined as unknown as { videoHash: string };
    expect(ruleOf(await thrown(() => job.videoHash))).toBe('programming.type-error');
    const readUndeclared = (): unknown => {
      // @ts-expect-error: a real ReferenceError needs a name that is not declared
      return undeclaredVariableName;
    };
    expect(ruleOf(await thrown(readUndeclared))).toBe('programming.reference-error');
  });

  it('falls back to the generic ERR_ and errno rules for codes the table does not name', () => {
    expect(ruleOf(Object.assign(new Error('x'), { code: 'ERR_SOMETHING_NEW' }))).toBe('runtime.node-error');
    expect(ruleOf(Object.assign(new Error('x'), { code: 'ESRCH' }))).toBe('runtime.system-error');
  });
});

describe('validation, TLS, DNS and other codes', () => {
  it('classifies validation errors by class name and by message as low / WARN', () => {
    class ValidationError extends Error {
      override name = 'ValidationError';
    }
    const byName = classifyException(new ValidationError('videoHash: required'));
    const byMessage = classifyException(new Error('export request validation failed: fps must be a number'));
    expect([byName.category, byName.severityText, byMessage.category]).toEqual([
      'validation',
      'WARN',
      'validation',
    ]);
  });

  it.each([
    ['CERT_HAS_EXPIRED', 'network.tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'network.tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'network.tls'],
    ['EAI_AGAIN', 'network.dns-temporary'],
    ['ENOTFOUND', 'network.dns-not-found'],
    ['EPIPE', 'network.connection-reset'],
    ['EMFILE', 'resource-limit.open-files'],
    ['ENOMEM', 'memory.enomem'],
    ['EPERM', 'permission.denied'],
    ['EADDRINUSE', 'network.address-in-use'],
    ['EXDEV', 'filesystem.cross-device'],
    ['EBUSY', 'filesystem.busy'],
    ['EROFS', 'permission.read-only'],
    ['EIO', 'disk.io-error'],
    ['ERR_WORKER_OUT_OF_MEMORY', 'memory.worker-out-of-memory'],
    ['ERR_CANCELED', 'aborted.code'],
  ])('classifies code %s by rule %s', (code, rule) => {
    expect(ruleOf(Object.assign(new Error(`failed: ${code}`), { code }))).toBe(rule);
  });
});
