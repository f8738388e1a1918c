// A small HTTP service traced by the NodeSDK (examples/nodesdk-tracing.ts). Run it after the
// build with the tracing file preloaded:
//
//   node --import ./dist/examples/nodesdk-tracing.js dist/examples/nodesdk.js [crash | crash-at-start]
//
// Without an argument a request fails inside the handler, which records the error on the
// request's span; `crash` lets the handler's error crash the process; `crash-at-start` throws
// before any request. Each time the record lands in .error-insight/ with the service name,
// version and environment of the SDK's resource and, for the requests, method, path and client.
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { getExportLogger } from 'error-insight';

const mode = process.argv[2] ?? 'request';
if (mode === 'crash-at-start') throw new Error('config file /etc/clips/api.json is missing');

function renderThumbnail(videoHash: string): never {
  throw new RangeError(`thumbnail for ${videoHash}: frame 0 is out of range`);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const videoHash = url.pathname.split('/')[2] ?? '';
  if (mode === 'crash') renderThumbnail(videoHash);
  const span = trace.getActiveSpan();
  try {
    renderThumbnail(videoHash);
  } catch (err) {
    span?.recordException(err as Error);
    span?.setStatus({ code: SpanStatusCode.ERROR });
    res.statusCode = 500;
    res.end('thumbnail failed\n');
  }
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const status = await new Promise<number | undefined>((resolve) => {
  get(`http://127.0.0.1:${port}/videos/3a7bd3e2f/thumbnail?token=s3cr3t-link-token`, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  }).on('error', () => resolve(undefined));
});
console.log(`GET /videos/3a7bd3e2f/thumbnail -> ${status}`);
server.close();
await getExportLogger().flush();
console.log(`store: ${getExportLogger().storeDir}`);
