import type { ClassificationRule } from '../classification-rule.js';

/** What an abort is, found by name or by code (a rule matches on every criterion it sets). */
const ABORTED = {
  category: 'aborted',
  severity: 'low',
  retryable: false,
  suggestion: {
    en: 'The operation was cancelled through an AbortSignal: expected when a job is cancelled or superseded; if nobody cancelled it, find who called abort().',
    zh: '操作通过 AbortSignal 被取消：任务被取消或被替代时属正常；若无人主动取消，请查明是谁调用了 abort()。',
  },
} as const;

const TIMEOUT_SUGGESTION = {
  en: 'The operation exceeded its time limit: retry with backoff, and if it keeps happening raise the limit or find the slow dependency.',
  zh: '操作超出时间限制：带退避重试；若反复出现，调大时限或找出变慢的依赖。',
} as const;

/** The `name` (or, in a stored record, `type`) of an error-like value. */
function nameOf(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as { name?: unknown; type?: unknown };
  return typeof o.name === 'string' ? o.name : o.type;
}

/**
 * An abort whose reason is a timeout: Node's own APIs (timers/promises, fs, events, streams)
 * reject an `AbortSignal.timeout()` with an `AbortError` whose `cause` is the signal's
 * `TimeoutError`; a stored record keeps it as its first cause. An abort by the app's own
 * AbortController has no such cause and stays an abort.
 */
function abortedByTimeout(subject: { name: string; code: string | undefined }, value: unknown): boolean {
  if (subject.name !== 'AbortError' && subject.code !== 'ABORT_ERR') return false;
  if (value === null || typeof value !== 'object') return false;
  const o = value as { cause?: unknown; causes?: unknown };
  if (nameOf(o.cause) === 'TimeoutError') return true;
  return Array.isArray(o.causes) && nameOf(o.causes[0]) === 'TimeoutError';
}

/** Cancellation, timeouts, sockets, DNS and TLS: by name or code (Node, undici, axios). */
export const NETWORK_RULES: readonly ClassificationRule[] = [
  {
    id: 'timeout.abort-signal',
    category: 'timeout',
    subcategory: 'abort-signal-timeout',
    severity: 'medium',
    retryable: true,
    suggestion: TIMEOUT_SUGGESTION,
    predicate: abortedByTimeout,
  },
  {
    id: 'aborted',
    name: 'AbortError',
    ...ABORTED,
  },
  {
    id: 'aborted.code',
    code: ['ABORT_ERR', 'ERR_CANCELED'],
    ...ABORTED,
  },
  {
    id: 'timeout',
    name: 'TimeoutError',
    category: 'timeout',
    severity: 'medium',
    retryable: true,
    suggestion: TIMEOUT_SUGGESTION,
  },
  {
    id: 'timeout.network',
    code: [
      'ETIMEDOUT',
      'ESOCKETTIMEDOUT',
      'ERR_SOCKET_CONNECTION_TIMEOUT',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ],
    category: 'timeout',
    subcategory: 'network-timeout',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The remote end did not answer in time: retry with backoff and jitter, check its health and latency, and set an explicit timeout per call.',
      zh: '远端未能及时响应：带退避和随机抖动重试，检查其健康状况和延迟，并为每次调用设置明确的超时。',
    },
  },
  {
    id: 'network.connection-refused',
    code: 'ECONNREFUSED',
    category: 'network',
    subcategory: 'connection-refused',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'Nothing is listening at the address in the error: check that the service is up and the host/port are right, then retry with backoff.',
      zh: '错误中的地址上没有服务在监听：确认服务已启动、主机和端口正确，然后带退避重试。',
    },
  },
  {
    id: 'network.connection-reset',
    code: ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE'],
    category: 'network',
    subcategory: 'connection-reset',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The connection was closed mid-request (peer reset, broken pipe, proxy or keep-alive timeout): retry idempotent requests with backoff; resume uploads from the last confirmed part.',
      zh: '连接在请求中途被关闭（对端重置、管道断开、代理或 keep-alive 超时）：对幂等请求带退避重试；上传从最后确认的分片处续传。',
    },
  },
  {
    id: 'network.dns-temporary',
    code: 'EAI_AGAIN',
    category: 'network',
    subcategory: 'dns-temporary-failure',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'DNS lookup failed temporarily: retry with backoff, and check the resolver (/etc/resolv.conf, container DNS) if it persists.',
      zh: 'DNS 解析暂时失败：带退避重试；若持续出现，检查解析器配置（/etc/resolv.conf、容器 DNS）。',
    },
  },
  {
    id: 'network.dns-not-found',
    code: 'ENOTFOUND',
    category: 'network',
    subcategory: 'dns-not-found',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The host name does not resolve: check the spelling of the host in the configuration and that it exists in DNS for this network.',
      zh: '主机名无法解析：检查配置中的主机名拼写，并确认它在当前网络的 DNS 中存在。',
    },
  },
  {
    id: 'network.unreachable',
    code: ['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN'],
    category: 'network',
    subcategory: 'unreachable',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The network or host is unreachable: check routing, firewalls and the VPN, then retry with backoff.',
      zh: '网络或主机不可达：检查路由、防火墙和 VPN，然后带退避重试。',
    },
  },
  {
    id: 'network.address-in-use',
    code: ['EADDRINUSE', 'EADDRNOTAVAIL'],
    category: 'configuration',
    subcategory: 'address-in-use',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The address or port cannot be bound: another process (or an old instance) holds it, or the address is not on this host; pick another port or stop the other process.',
      zh: '无法绑定该地址或端口：已被其他进程（或旧实例）占用，或该地址不属于本机；换一个端口或停止占用的进程。',
    },
  },
  {
    id: 'network.tls',
    code: /^(?:CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(?:VERIFY|GET)_)/,
    category: 'network',
    subcategory: 'tls',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The TLS handshake or certificate check failed: check the certificate chain, expiry and host name of the remote end (and NODE_EXTRA_CA_CERTS for private CAs); do not disable verification.',
      zh: 'TLS 握手或证书校验失败：检查远端证书链、有效期和主机名（私有 CA 请配置 NODE_EXTRA_CA_CERTS）；不要关闭证书校验。',
    },
  },
];
