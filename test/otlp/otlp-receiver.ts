import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as the receiver got it. */
export interface ReceivedRequest {
  path: string;
  body: Buffer;
  headers: IncomingMessage['headers'];
}

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}

/** A custom answer: status and headers, or undefined for the default 200. */
export type Responder = (
  req: ReceivedRequest,
  index: number,
) => { status: number; headers?: Record<string, string> } | undefined;

/**
 * An OTLP/HTTP receiver on 127.0.0.1: answers 200 (`'ok'`), never answers (`'hang'`), or
 * accepts the connection and never reads it either (same as hang for the client). `port`
 * binds a given port (a collector coming back); `respond` picks other answers (429, 503…).
 */
export async function startReceiver(
  mode: 'ok' | 'hang' = 'ok',
  opts: { port?: number; respond?: Responder } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // Exports are gzip-compressed by default (Content-Encoding), as a collector accepts them.
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const received = { path: req.url ?? '', body, headers: req.headers };
      requests.push(received);
      const custom = opts.respond?.(received, requests.length - 1);
      if (custom !== undefined) {
        res.writeHead(custom.status, custom.headers ?? {});
        res.end();
        return;
      }
      if (mode === 'ok') {
        const json = req.headers['content-type'] === 'application/json';
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : '');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 that refuses connections (bound, then closed). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: number; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };
export interface OtlpEvent {
  name: string;
  attributes: KeyValue[];
}
export interface OtlpSpan {
  name: string;
  attributes: KeyValue[];
  events?: OtlpEvent[];
  status?: { message?: string; code?: number };
}
export interface OtlpTraces {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

type Field = { no: number; varint?: bigint; bytes?: Uint8Array; fixed64?: Buffer };

/** The fields of one protobuf message (wire format only; nested messages stay bytes). */
function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ no, varint: varint() });
    else if (wire === 1) {
      out.push({ no, fixed64: Buffer.from(buf.subarray(i, i + 8)) });
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 5) i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('utf8');
const sub = (fields: Field[], no: number): Uint8Array[] =>
  fields.filter((f) => f.no === no && f.bytes !== undefined).map((f) => f.bytes as Uint8Array);

function anyValue(buf: Uint8Array): AnyValue {
  const f = readFields(buf)[0];
  if (f === undefined) return {};
  if (f.no === 1) return { stringValue: text(f.bytes) };
  if (f.no === 2) return { boolValue: f.varint === 1n };
  if (f.no === 3) return { intValue: Number(BigInt.asIntN(64, f.varint ?? 0n)) };
  if (f.no === 4) return { doubleValue: f.fixed64?.readDoubleLE(0) ?? 0 };
  return {};
}

function keyValues(list: Uint8Array[]): KeyValue[] {
  return list.map((kv) => {
    const f = readFields(kv);
    return { key: text(sub(f, 1)[0]), value: anyValue(sub(f, 2)[0] ?? new Uint8Array()) };
  });
}

/**
 * Decodes an OTLP protobuf `ExportTraceServiceRequest` into the shape of its OTLP/JSON form
 * (the parts tests read: resource attributes, span names, attributes, status and events),
 * following the field numbers of opentelemetry-proto's trace.proto and common.proto.
 */
export function decodeTraces(body: Uint8Array): OtlpTraces {
  return {
    resourceSpans: sub(readFields(body), 1).map((rs) => {
      const rf = readFields(rs);
      const resource = readFields(sub(rf, 1)[0] ?? new Uint8Array());
      return {
        resource: { attributes: keyValues(sub(resource, 1)) },
        scopeSpans: sub(rf, 2).map((ss) => ({
          spans: sub(readFields(ss), 2).map((sp) => {
            const f = readFields(sp);
            const status = readFields(sub(f, 15)[0] ?? new Uint8Array());
            return {
              name: text(sub(f, 5)[0]),
              attributes: keyValues(sub(f, 9)),
              events: sub(f, 11).map((ev) => {
                const ef = readFields(ev);
                return { name: text(sub(ef, 2)[0]), attributes: keyValues(sub(ef, 3)) };
              }),
              status: {
                message: text(sub(status, 2)[0]),
                code: Number(status.find((s) => s.no === 3)?.varint ?? 0n),
              },
            };
          }),
        })),
      };
    }),
  };
}

/** Field 1 of `ExportMetricsServiceRequest` holds its resource metrics. */
export function countResourceMetrics(body: Uint8Array): number {
  return sub(readFields(body), 1).length;
}

/** Traces from a request in either encoding, by its content type. */
export function tracesOf(req: ReceivedRequest): OtlpTraces {
  return req.headers['content-type'] === 'application/json'
    ? (JSON.parse(req.body.toString('utf8')) as OtlpTraces)
    : decodeTraces(req.body);
}

/** Every exception event, flattened to `{ service, span, ...attributes }`. */
export function exceptionEvents(traces: OtlpTraces): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const rs of traces.resourceSpans) {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans)
        for (const ev of span.events ?? []) {
          if (ev.name !== 'exception') continue;
          const flat: Record<string, unknown> = { service, span: span.name };
          for (const a of ev.attributes) flat[a.key] = Object.values(a.value)[0];
          out.push(flat);
        }
  }
  return out;
}

export interface OtlpLogRecord {
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body?: AnyValue;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
}
export interface OtlpLogs {
  resourceLogs: Array<{
    resource: { attributes: KeyValue[] };
    scopeLogs: Array<{ scope?: { name?: string }; logRecords: OtlpLogRecord[] }>;
  }>;
}

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

/**
 * Decodes an OTLP protobuf `ExportLogsServiceRequest` into the shape of its OTLP/JSON form,
 * following the field numbers of opentelemetry-proto's logs.proto (ids as hex, as in JSON).
 */
export function decodeLogs(body: Uint8Array): OtlpLogs {
  return {
    resourceLogs: sub(readFields(body), 1).map((rl) => {
      const rf = readFields(rl);
      const resource = readFields(sub(rf, 1)[0] ?? new Uint8Array());
      return {
        resource: { attributes: keyValues(sub(resource, 1)) },
        scopeLogs: sub(rf, 2).map((sl) => {
          const sf = readFields(sl);
          const scope = readFields(sub(sf, 1)[0] ?? new Uint8Array());
          return {
            scope: { name: text(sub(scope, 1)[0]) },
            logRecords: sub(sf, 2).map((lr) => {
              const f = readFields(lr);
              const time = f.find((x) => x.no === 1)?.fixed64;
              const bodyValue = sub(f, 5)[0];
              return {
                timeUnixNano: time ? time.readBigUInt64LE(0).toString() : '0',
                severityNumber: Number(f.find((x) => x.no === 2)?.varint ?? 0n),
                severityText: text(sub(f, 3)[0]),
                eventName: text(sub(f, 12)[0]),
                ...(bodyValue ? { body: anyValue(bodyValue) } : {}),
                attributes: keyValues(sub(f, 6)),
                traceId: hex(sub(f, 9)[0]),
                spanId: hex(sub(f, 10)[0]),
              };
            }),
          };
        }),
      };
    }),
  };
}

/** Logs from a request in either encoding, by its content type. */
export function logsOf(req: ReceivedRequest): OtlpLogs {
  return req.headers['content-type'] === 'application/json'
    ? (JSON.parse(req.body.toString('utf8')) as OtlpLogs)
    : decodeLogs(req.body);
}

/** Every log record of the `/v1/logs` requests, flattened to `{ service, eventName, severity…, traceId, spanId, ...attributes }`. */
export function exceptionLogRecords(requests: readonly ReceivedRequest[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const req of requests) {
    if (req.path !== '/v1/logs') continue;
    for (const rl of logsOf(req).resourceLogs) {
      const resource: Record<string, unknown> = {};
      for (const a of rl.resource.attributes) resource[a.key] = Object.values(a.value)[0];
      for (const sl of rl.scopeLogs)
        for (const lr of sl.logRecords) {
          const flat: Record<string, unknown> = {
            service: resource['service.name'],
            pid: resource['process.pid'],
            scope: sl.scope?.name,
            eventName: lr.eventName,
            severityNumber: lr.severityNumber,
            severityText: lr.severityText,
            body: lr.body === undefined ? undefined : Object.values(lr.body)[0],
            traceId: lr.traceId,
            spanId: lr.spanId,
          };
          for (const a of lr.attributes) flat[a.key] = Object.values(a.value)[0];
          out.push(flat);
        }
    }
  }
  return out;
}
