/** The OTLP/HTTP encodings error-insight sends; gRPC has no exporter here. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** The OpenTelemetry SDK's default encoding. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** The `Content-Type` each encoding is sent with. */
export const OTLP_CONTENT_TYPES: Readonly<Record<OtlpProtocol, string>> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

/**
 * Validates a protocol from an option or an environment variable (`source` names it in the
 * error). A gRPC collector port would refuse every HTTP request, so an unknown value is an
 * error at registration rather than a silent fallback.
 */
export function resolveOtlpProtocol(value: unknown, source: string): OtlpProtocol {
  if (value === undefined) return DEFAULT_OTLP_PROTOCOL;
  if (typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() as OtlpProtocol;
  }
  throw new TypeError(
    `error-insight: ${source} must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(String(value))}`,
  );
}
