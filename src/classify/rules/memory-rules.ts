import type { ClassificationRule } from '../classification-rule.js';

/** Out-of-memory and V8 limits: first in the table, since they can hide behind any class or code. */
export const MEMORY_RULES: readonly ClassificationRule[] = [
  {
    id: 'memory.heap-out-of-memory',
    message: /heap out of memory|Reached heap limit/,
    category: 'memory',
    subcategory: 'heap-out-of-memory',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'The V8 heap ran out: find what holds memory (heap snapshot, memory at the error), stream large inputs instead of buffering them, or raise --max-old-space-size.',
      zh: 'V8 堆内存耗尽：用堆快照和错误时的内存数据找出占用内存的对象，对大文件改用流式处理而不是整体读入，或调大 --max-old-space-size。',
    },
  },
  {
    id: 'memory.worker-out-of-memory',
    code: 'ERR_WORKER_OUT_OF_MEMORY',
    category: 'memory',
    subcategory: 'worker-out-of-memory',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'A worker thread hit its heap limit: give it more room with resourceLimits.maxOldGenerationSizeMb or send it smaller pieces of work.',
      zh: '工作线程达到堆内存上限：通过 resourceLimits.maxOldGenerationSizeMb 提高上限，或把任务拆小再交给它。',
    },
  },
  {
    id: 'memory.allocation-failed',
    message: /Array buffer allocation failed|[Cc]ould not allocate memory|Cannot allocate memory/,
    category: 'memory',
    subcategory: 'allocation-failed',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'A large buffer could not be allocated: process the media in chunks or streams, and check the memory and resource snapshot for other consumers.',
      zh: '无法分配大块缓冲区：改为分块或流式处理媒体数据，并查看内存与资源快照中还有哪些进程占用内存。',
    },
  },
  {
    id: 'memory.enomem',
    code: 'ENOMEM',
    category: 'memory',
    subcategory: 'system-out-of-memory',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'The operating system refused memory (ENOMEM): lower concurrency (parallel encodes), free memory on the host, or move the job to a larger machine.',
      zh: '操作系统无法再分配内存（ENOMEM）：降低并发（同时进行的编码数），释放主机内存，或把任务放到内存更大的机器上。',
    },
  },
  {
    id: 'memory.buffer-too-large',
    code: ['ERR_BUFFER_TOO_LARGE', 'ERR_STRING_TOO_LONG', 'ERR_FS_FILE_TOO_LARGE'],
    category: 'memory',
    subcategory: 'buffer-too-large',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A file or string is larger than one Buffer can hold: read it with a stream (fs.createReadStream) instead of readFile or toString.',
      zh: '文件或字符串超过单个 Buffer 的上限：改用流（fs.createReadStream）读取，不要用 readFile 或 toString 一次性读入。',
    },
  },
  {
    id: 'memory.invalid-string-length',
    name: 'RangeError',
    message: 'Invalid string length',
    category: 'memory',
    subcategory: 'string-too-long',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A string grew past the V8 limit (often joining or JSON-stringifying a huge result): stream the output or write it in parts.',
      zh: '字符串超过 V8 的长度上限（常见于拼接或 JSON 序列化超大结果）：改为流式输出或分段写入。',
    },
  },
  {
    id: 'memory.invalid-array-length',
    name: 'RangeError',
    message: /Invalid (?:typed )?array length/,
    category: 'memory',
    subcategory: 'invalid-array-length',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'An array length was negative, fractional or too large: check the size computed from the input (frame count, duration × fps) before allocating.',
      zh: '数组长度为负数、小数或过大：分配前检查由输入计算出的大小（帧数、时长 × 帧率）。',
    },
  },
  {
    id: 'runtime.stack-overflow',
    message: 'Maximum call stack size exceeded',
    category: 'programming',
    subcategory: 'stack-overflow',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'Unbounded recursion: look for a function that calls itself without a base case (or a cycle in the data it walks) and make it iterative.',
      zh: '递归没有终止：找出缺少终止条件的自调用函数（或其遍历的数据中存在环），改写为迭代。',
    },
  },
];
