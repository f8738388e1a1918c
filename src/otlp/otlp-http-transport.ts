import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { gzip } from 'node:zlib';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import type { ExportGate } from './export-gate.js';

/** Where and how one signal is posted. */
export interface OtlpHttpTarget {
  url: string;
  /** Resolved per request: the SDK's configuration merges option and `OTEL_*_HEADERS` headers here. */
  headers: () => Promise<Record<string, string>>;
  compression: 'gzip' | 'none';
  userAgent?: string | undefined;
}

// The back-off of the SDK's own retrying transport (otlp-exporter-base 0.223,
// retrying-transport.ts), kept so a flaky collector sees the same traffic as with stock exporters.
const MAX_RETRIES = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;
/** The SDK refuses bigger response bodies too (http-transport-utils.ts). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const USER_AGENT = 'error-insight OTel-OTLP-Exporter-JavaScript/0.223.0';

/** `Retry-After` in ms: seconds or an HTTP date, as the SDK reads it. */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : 0;
  const delay = new Date(header).getTime() - Date.now();
  return Number.isFinite(delay) ? Math.max(0, delay) : undefined;
}

const stopped = (): ExportResponse => ({
  status: 'failure',
  error: new Error('OTLP export stopped by shutdown; the records stay in the local store'),
});

/**
 * The HTTP transport under the SDK's OTLP export delegate. It does what the stock transport
 * does (POST, gzip, retries with the same back-off, `Retry-After`), with three differences that
 * let a process exit while a collector is down or hangs: the agent is ours and is destroyed on
 * abort, sockets are unref'd (an export never keeps the process alive), and back-off waits are
 * unref'd timers that the {@link ExportGate} cuts short.
 */
export class OtlpHttpTransport implements IExporterTransport {
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly url: URL;

  constructor(
    private readonly target: OtlpHttpTarget,
    private readonly gate: ExportGate,
    /** Told of every attempt repeated after a retryable failure (self-telemetry). */
    private readonly onRetry: () => void = () => {},
  ) {
    this.url = new URL(target.url);
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.request = https ? (httpsRequest as typeof httpRequest) : httpRequest;
    gate.signal.addEventListener('abort', () => this.agent.destroy(), { once: true });
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = INITIAL_BACKOFF_MS;
    let body: Uint8Array;
    try {
      body = this.target.compression === 'gzip' ? await gzipped(data) : data;
    } catch (error) {
      return { status: 'failure', error: error as Error };
    }
    let drained = this.gate.draining;
    for (let retries = 0; ; retries++) {
      if (this.gate.signal.aborted) return stopped();
      const result = await this.attempt(body, Math.max(1, deadline - Date.now()));
      if (result.status !== 'retryable' || retries >= MAX_RETRIES || drained) return result;
      const jittered = backoff * (1 + (Math.random() * 2 - 1) * JITTER);
      const wait = result.retryInMillis ?? Math.min(jittered, MAX_BACKOFF_MS);
      backoff *= BACKOFF_MULTIPLIER;
      if (wait > deadline - Date.now()) return result;
      // A drain during the wait ends it: one last attempt now, none after.
      if (!(await this.gate.sleep(wait))) return stopped();
      drained ||= this.gate.draining;
      this.onRetry();
    }
  }

  shutdown(): void {
    this.agent.destroy();
  }

  private async attempt(body: Uint8Array, timeoutMs: number): Promise<ExportResponse> {
    const headers: Record<string, string> = { ...(await this.target.headers()) };
    headers['User-Agent'] = this.target.userAgent ? `${this.target.userAgent} ${USER_AGENT}` : USER_AGENT;
    headers['Content-Length'] = String(body.byteLength);
    if (this.target.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
    return new Promise((resolve) => {
      let settled = false;
      const done = (result: ExportResponse): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      let req: ClientRequest;
      try {
        req = this.request(this.url, {
          method: 'POST',
          headers,
          agent: this.agent,
          signal: this.gate.signal,
        });
      } catch (error) {
        done({ status: 'failure', error: error as Error });
        return;
      }
      // A reused keep-alive socket is ref'd again by the agent: unref it for every request.
      req.on('socket', (socket) => socket.unref());
      req.setTimeout(timeoutMs, () => {
        req.destroy();
        done({ status: 'retryable', error: new Error('OTLP export request timed out') });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // The agent is destroyed on abort too, which may surface first as ECONNRESET.
        if (error.name === 'AbortError' || this.gate.signal.aborted) done(stopped());
        else if (error.code !== undefined && RETRYABLE_NETWORK.has(error.code))
          done({ status: 'retryable', error });
        else done({ status: 'failure', error });
      });
      req.on('response', (res) => this.read(res, done));
      req.end(body);
    });
  }

  private read(res: IncomingMessage, done: (result: ExportResponse) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        done({ status: 'failure', error: new Error('OTLP export response body too large') });
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (error) => done({ status: 'failure', error }));
    res.on('end', () => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status <= 299) done({ status: 'success', data: Buffer.concat(chunks) });
      else if (RETRYABLE_STATUS.has(status)) {
        const retryInMillis = retryAfterMs(headerText(res.headers['retry-after']));
        done(retryInMillis === undefined ? { status: 'retryable' } : { status: 'retryable', retryInMillis });
      } else done({ status: 'failure', error: new Error(`OTLP export failed: HTTP ${status}`) });
    });
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function gzipped(data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => gzip(data, (err, out) => (err ? reject(err) : resolve(out))));
}
