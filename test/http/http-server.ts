import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Base URL of a server listening on 127.0.0.1 (port 0 picked by the OS). */
export function baseUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the client saw: status, body and the content type. */
export interface Answer {
  status: number;
  body: string;
  type: string | null;
}

/** One real HTTP request; the body is read whole. */
export async function request(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}
