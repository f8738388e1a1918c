import type { ClassificationRule } from '../classification-rule.js';

/**
 * HTTP responses, by the status an HTTP client put on its error (`status`, `statusCode`,
 * `response.status`). Before the generic `ERR_*` rule, since axios and got use codes such as
 * `ERR_BAD_RESPONSE` for these.
 */
export const HTTP_STATUS_RULES: readonly ClassificationRule[] = [
  {
    id: 'http.unauthorized',
    status: [401, 403],
    category: 'http',
    subcategory: 'unauthorized',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The remote service refused the credentials (401/403): check that the token or key is set, unexpired and has the needed scope; retrying will not help.',
      zh: '远端服务拒绝了凭据（401/403）：检查令牌或密钥是否已配置、未过期且具有所需权限；重试无济于事。',
    },
  },
  {
    id: 'http.not-found',
    status: [404, 404],
    category: 'http',
    subcategory: 'not-found',
    severity: 'low',
    retryable: false,
    suggestion: {
      en: 'The remote resource does not exist (404): check the URL or id you built, and handle a missing resource as an expected outcome.',
      zh: '远端资源不存在（404）：检查拼接的 URL 或 ID，并把资源缺失作为预期情况处理。',
    },
  },
  {
    id: 'http.request-timeout',
    status: [408, 408],
    category: 'timeout',
    subcategory: 'http-request-timeout',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The server timed out waiting for the request (408): retry with backoff, and send large bodies in parts.',
      zh: '服务器等待请求超时（408）：带退避重试，大的请求体请分片发送。',
    },
  },
  {
    id: 'http.conflict',
    status: [409, 409],
    category: 'http',
    subcategory: 'conflict',
    severity: 'low',
    retryable: false,
    suggestion: {
      en: 'The request conflicts with the current state of the resource (409): reload it and reapply the change, or treat "already done" as success.',
      zh: '请求与资源当前状态冲突（409）：重新获取资源后再应用修改，或把“已完成”视为成功。',
    },
  },
  {
    id: 'http.payload-too-large',
    status: [413, 413],
    category: 'http',
    subcategory: 'payload-too-large',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The request body is too large for the server (413): upload in parts (multipart upload) or raise the server or proxy body limit.',
      zh: '请求体超过服务器限制（413）：改用分片上传，或调大服务器或代理的请求体上限。',
    },
  },
  {
    id: 'http.rate-limited',
    status: [429, 429],
    category: 'rate-limit',
    severity: 'low',
    retryable: true,
    suggestion: {
      en: 'The remote service is rate limiting (429): wait for Retry-After before retrying, and lower the request rate or concurrency.',
      zh: '远端服务触发限流（429）：按 Retry-After 等待后再重试，并降低请求速率或并发。',
    },
  },
  {
    id: 'http.client-error',
    status: [400, 499],
    category: 'http',
    subcategory: 'client-error',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The remote service rejected the request as invalid (4xx): read the response body for the reason and fix the request; retrying the same request will fail again.',
      zh: '远端服务认为请求无效（4xx）：查看响应体中的原因并修正请求；原样重试仍会失败。',
    },
  },
  {
    id: 'http.unavailable',
    status: [502, 504],
    category: 'http',
    subcategory: 'unavailable',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The service or its gateway is unavailable (502/503/504): retry with backoff and jitter, honouring Retry-After.',
      zh: '服务或其网关不可用（502/503/504）：遵循 Retry-After，带退避和随机抖动重试。',
    },
  },
  {
    id: 'http.server-error',
    status: [500, 599],
    category: 'http',
    subcategory: 'server-error',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The remote service failed (5xx): retry idempotent requests with backoff, and report it to the service owner if it persists.',
      zh: '远端服务内部出错（5xx）：对幂等请求带退避重试；若持续出现，请联系该服务的负责人。',
    },
  },
];
