function errorStatusField(error: unknown, key: 'status' | 'statusCode'): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'number' && value >= 400 && value <= 599 ? value : undefined;
}

/**
 * The status a framework's default error handler answers `error` with: the error's own
 * 4xx/5xx status (Express's finalhandler reads `status` first, Fastify `statusCode` first),
 * else a 4xx/5xx status already set on the response, else 500.
 */
export function errorHttpStatus(
  error: unknown,
  responseStatus: unknown,
  first: 'status' | 'statusCode',
): number {
  const second = first === 'status' ? 'statusCode' : 'status';
  const own = errorStatusField(error, first) ?? errorStatusField(error, second);
  if (own !== undefined) return own;
  return typeof responseStatus === 'number' && responseStatus >= 400 && responseStatus <= 599
    ? responseStatus
    : 500;
}
