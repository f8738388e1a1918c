import { EVENT_LOOP_STALL_CODE } from '../../stall/event-loop-stall-error.js';
import type { ClassificationRule } from '../classification-rule.js';

/** Blocks of the event loop that the stall watchdog recorded. */
export const STALL_RULES: readonly ClassificationRule[] = [
  {
    id: 'performance.event-loop-stall',
    code: EVENT_LOOP_STALL_CODE,
    category: 'performance',
    subcategory: 'event-loop-stall',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'Synchronous work blocked the event loop (see the function at the top of the stack): move CPU-heavy steps to a worker thread or child process, use the async versions of fs/zlib/crypto calls, or split long loops with setImmediate.',
      zh: '同步操作阻塞了事件循环（见堆栈顶部的函数）：把 CPU 密集的步骤移到 worker 线程或子进程，改用 fs/zlib/crypto 的异步接口，或用 setImmediate 拆分长循环。',
    },
  },
];
