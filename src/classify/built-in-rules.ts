import type { ClassificationRule } from './classification-rule.js';
import { HTTP_STATUS_RULES } from './rules/http-status-rules.js';
import { MEDIA_RULES } from './rules/media-rules.js';
import { MEMORY_RULES } from './rules/memory-rules.js';
import { NETWORK_RULES } from './rules/network-rules.js';
import { RUNTIME_RULES, UNKNOWN_RULE } from './rules/runtime-rules.js';
import { STALL_RULES } from './rules/stall-rules.js';
import { SYSTEM_ERROR_RULES } from './rules/system-error-rules.js';

export { UNKNOWN_RULE };

/**
 * The built-in table, in the order it is tried: out-of-memory first (it can hide behind any
 * class), event-loop stalls, then media-tool failures, system codes, network, HTTP status, and the language's
 * error classes; generic code patterns and `unknown` last.
 */
export const BUILT_IN_RULES: readonly ClassificationRule[] = Object.freeze([
  ...MEMORY_RULES,
  ...STALL_RULES,
  ...MEDIA_RULES,
  ...SYSTEM_ERROR_RULES,
  ...NETWORK_RULES,
  ...HTTP_STATUS_RULES,
  ...RUNTIME_RULES,
  UNKNOWN_RULE,
]);
