import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportGate } from '../../src/otlp/export-gate.js';
import { OtlpHttpTransport, retryAfterMs } from '../../src/otlp/otlp-http-transport.js';
import { startReceiver } from './otlp-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** Answers the given statuses in turn (with their Retry-After), then 200. */
async function scripted(answers: Array<[number, string?]>) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      const [status, retryAfter] = answers.shift() ?? [200];
      res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, bodies };
}

function transport(url: string, gate = new ExportGate()) {
  return new OtlpHttpTransport(
    { url, headers: async () => ({ 'Content-Type': 'application/x-protobuf' }), compression: 'none' },
    gate,
  );
}

describe('OtlpHttpTransport', () => {
  it('retries a 503 after its Retry-After and delivers the same body', async () => {
    const server = await scripted([
      [503, '0'],
      [429, '0'],
    ]);
    const result = await transport(server.url).send(new TextEncoder().encode('payload'), 5000);
    expect(result.status).toBe('success');
    expect(server.bodies).toEqual(['payload', 'payload', 'payload']);
  });

  it('does not retry a 400', async () => {
    const server = await scripted([[400]]);
    const result = await transport(server.url).send(new TextEncoder().encode('x'), 5000);
    expect(result.status).toBe('failure');
    expect(server.bodies).toHaveLength(1);
  });

  it('makes one last attempt once draining, and ends a request that hangs when aborted', async () => {
    const refused = await scripted([[503, '0']]);
    const gate = new ExportGate();
    gate.drain();
    expect((await transport(refused.url, gate).send(new Uint8Array([1]), 5000)).status).toBe('retryable');
    expect(refused.bodies).toHaveLength(1);

    const silent = await startReceiver('hang');
    cleanup.push(silent.close);
    const hanging = new ExportGate();
    const pending = transport(`${silent.url}/v1/traces`, hanging).send(new Uint8Array([1]), 60_000);
    setTimeout(() => hanging.abort(), 50);
    expect(await pending).toMatchObject({ status: 'failure' });
  });

  it('cuts a back-off wait short when draining and makes its last attempt at once', async () => {
    const server = await scripted([[503, '60']]);
    const gate = new ExportGate();
    const pending = transport(server.url, gate).send(new TextEncoder().encode('last'), 120_000);
    while (server.bodies.length === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    gate.drain();
    expect((await pending).status).toBe('success');
    expect(server.bodies).toEqual(['last', 'last']);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterMs(inTwoSeconds)).toBeGreaterThan(0);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
