/**
 * Attribute names error-insight puts on spans, exception events and metrics. OpenTelemetry
 * semantic-convention names where they exist; the rest live under the `error_insight.`
 * namespace and are documented in `docs/attributes.md`. Changing a value here is a breaking change.
 */

// OpenTelemetry semantic conventions (stable names).
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_PROCESS_PID = 'process.pid';
export const ATTR_HOST_NAME = 'host.name';
export const ATTR_CODE_FUNCTION = 'code.function.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
/** The name before semantic conventions 1.27, still written by older setups. */
export const ATTR_DEPLOYMENT_ENVIRONMENT_LEGACY = 'deployment.environment';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_NETWORK_PEER_ADDRESS = 'network.peer.address';
// Names of the older HTTP conventions, which instrumentations still emit unless told otherwise.
export const ATTR_HTTP_METHOD_LEGACY = 'http.method';
export const ATTR_HTTP_TARGET_LEGACY = 'http.target';
export const ATTR_HTTP_URL_LEGACY = 'http.url';
export const ATTR_HTTP_STATUS_CODE_LEGACY = 'http.status_code';
export const ATTR_NET_PEER_NAME_LEGACY = 'net.peer.name';
export const ATTR_NET_PEER_IP_LEGACY = 'net.peer.ip';
/** The name OpenTelemetry gives an exception span event. */
export const EXCEPTION_EVENT_NAME = 'exception';

// error-insight's own names.
export const ATTR_RECORD_ID = 'error_insight.record.id';
export const ATTR_FINGERPRINT = 'error_insight.fingerprint';
export const ATTR_FINGERPRINT_VERSION = 'error_insight.fingerprint.version';
export const ATTR_MESSAGE_TEMPLATE = 'error_insight.message.template';
export const ATTR_OCCURRENCE = 'error_insight.occurrence';
export const ATTR_EXCEPTION_CODE = 'error_insight.exception.code';
export const ATTR_EXCEPTION_ERRNO = 'error_insight.exception.errno';
export const ATTR_EXCEPTION_SYSCALL = 'error_insight.exception.syscall';
export const ATTR_EXCEPTION_CAUSES = 'error_insight.exception.causes';
export const ATTR_CLASSIFICATION_CATEGORY = 'error_insight.classification.category';
export const ATTR_CLASSIFICATION_SUBCATEGORY = 'error_insight.classification.subcategory';
export const ATTR_CLASSIFICATION_SEVERITY = 'error_insight.classification.severity';
export const ATTR_CLASSIFICATION_RETRYABLE = 'error_insight.classification.retryable';
export const ATTR_CLASSIFICATION_SUGGESTION = 'error_insight.classification.suggestion';
export const ATTR_CLASSIFICATION_RULE = 'error_insight.classification.rule';
export const ATTR_PHASE = 'error_insight.phase';
export const ATTR_VIDEO_HASH = 'error_insight.video.hash';
export const ATTR_CONTEXT = 'error_insight.context';
export const ATTR_MEMORY_HEAP_USED = 'error_insight.memory.heap_used';
export const ATTR_MEMORY_HEAP_TOTAL = 'error_insight.memory.heap_total';
export const ATTR_MEMORY_HEAP_LIMIT = 'error_insight.memory.heap_limit';
export const ATTR_MEMORY_HEAP_USED_RATIO = 'error_insight.memory.heap_used_ratio';
export const ATTR_MEMORY_RSS = 'error_insight.memory.rss';
export const ATTR_MEMORY_EXTERNAL = 'error_insight.memory.external';
export const ATTR_MEMORY_ARRAY_BUFFERS = 'error_insight.memory.array_buffers';
export const ATTR_MEMORY_SAMPLE_AGE_MS = 'error_insight.memory.sample_age_ms';
export const ATTR_RESOURCES = 'error_insight.resources';
/** On a live exception event sent without its stack: the record id whose event carried the same frames. */
export const ATTR_STACKTRACE_REF = 'error_insight.stacktrace.ref';
/** Marks an exception event that error-insight already captured, so it is never counted twice. */
export const ATTR_CAPTURED = 'error_insight.captured';
/** On a span: exception events the span could not hold (over its event limit). */
export const ATTR_EVENTS_DROPPED = 'error_insight.span.exception_events_dropped';
/** On a span: how many errors error-insight recorded while it was active. */
export const ATTR_ERROR_COUNT = 'error_insight.span.error_count';
