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
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}

/**
 * An OTLP/HTTP receiver on 127.0.0.1: answers 200 (`'ok'`), never answers (`'hang'`), or
 * accepts the connection and never reads it either (same as hang for the client).
 */
export async function startReceiver(mode: 'ok' | 'hang' = 'ok'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // Exports are gzip-compressed by default (Content-Encoding), as a collector accepts them.
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      requests.push({ path: req.url ?? '', body, headers: req.headers });
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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
