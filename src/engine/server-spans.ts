/**
 * The server span of each trace in flight, so an error recorded on a child span (a database
 * call inside a request) still gets the request's method, route and path. The processor notes
 * server spans as they start and forgets them as they end; bounded so spans that never end
 * (a crashed handler, a leaked span) cannot grow it.
 */
const MAX_SERVER_SPANS = 10_000;
const byTrace = new Map<string, object>();

/** Notes a server span that started. */
export function noteServerSpan(traceId: string, span: object): void {
  if (byTrace.size >= MAX_SERVER_SPANS && !byTrace.has(traceId)) {
    const oldest = byTrace.keys().next();
    if (oldest.done !== true) byTrace.delete(oldest.value);
  }
  byTrace.set(traceId, span);
}

/** Forgets a server span that ended. */
export function forgetServerSpan(traceId: string, span: object): void {
  if (byTrace.get(traceId) === span) byTrace.delete(traceId);
}

/** The server span in flight for a trace, if the processor saw one start. */
export function serverSpanOf(traceId: string): object | undefined {
  return byTrace.get(traceId);
}
