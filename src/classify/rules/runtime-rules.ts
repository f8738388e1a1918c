import type { ClassificationRule } from '../classification-rule.js';

/** Failed validation, found by error class or by message. */
const INVALID_INPUT = {
  category: 'validation',
  severity: 'low',
  retryable: false,
  suggestion: {
    en: 'Input failed validation: return the listed problems to whoever sent it; fix the schema instead if valid input is being rejected.',
    zh: '输入未通过校验：把列出的问题反馈给提交方；若合法输入被拒绝，则应修正校验规则。',
  },
} as const;

/** Parsing, validation, Node's own `ERR_*` codes and the language's error classes. */
export const RUNTIME_RULES: readonly ClassificationRule[] = [
  {
    id: 'parse.json',
    name: 'SyntaxError',
    message:
      /JSON|Unexpected end of (?:JSON )?input|Unexpected token|Unterminated string|Bad control character/,
    category: 'parse',
    subcategory: 'json',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'Text that should be JSON is not (truncated file, an HTML error page, an empty body): log the first bytes of the input and check the producer and its content type.',
      zh: '应为 JSON 的文本无法解析（文件被截断、返回了 HTML 错误页、响应体为空）：记录输入的前几个字节，检查数据来源及其 Content-Type。',
    },
  },
  {
    id: 'validation',
    name: ['ValidationError', 'ZodError', 'ValiError', 'StructError', 'YupValidationError'],
    ...INVALID_INPUT,
  },
  {
    id: 'validation.message',
    // Only plain errors: a TypeError saying "must be a function" is a bug, not bad input.
    name: ['Error', ''],
    message: /[Vv]alidation failed|failed validation|is not valid|must be (?:a|an|one of) |is required/,
    ...INVALID_INPUT,
  },
  {
    id: 'validation.url',
    code: ['ERR_INVALID_URL', 'ERR_INVALID_URL_SCHEME', 'ERR_INVALID_FILE_URL_PATH'],
    category: 'validation',
    subcategory: 'invalid-url',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'A URL could not be parsed: check how it is built (missing scheme, unescaped spaces or Chinese characters should go through encodeURIComponent).',
      zh: 'URL 无法解析：检查其拼接方式（缺少协议、含未转义的空格；中文字符应经过 encodeURIComponent 编码）。',
    },
  },
  {
    id: 'programming.invalid-argument',
    code: [
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_VALUE',
      'ERR_OUT_OF_RANGE',
      'ERR_MISSING_ARGS',
      'ERR_INVALID_RETURN_VALUE',
    ],
    category: 'programming',
    subcategory: 'invalid-argument',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A Node API got an argument of the wrong type or range (often undefined from a missing field): check the value at the top frame of the stack.',
      zh: 'Node API 收到类型或范围错误的参数（常因字段缺失而传入 undefined）：检查调用栈顶层帧处的取值。',
    },
  },
  {
    id: 'programming.assertion',
    code: 'ERR_ASSERTION',
    category: 'programming',
    subcategory: 'assertion',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'An assertion failed: an invariant the code relies on does not hold; compare actual and expected in the message.',
      zh: '断言失败：代码依赖的不变量不成立；对照消息中的实际值与期望值。',
    },
  },
  {
    id: 'programming.stream-misuse',
    code: [
      'ERR_STREAM_WRITE_AFTER_END',
      'ERR_STREAM_DESTROYED',
      'ERR_STREAM_PUSH_AFTER_EOF',
      'ERR_STREAM_ALREADY_FINISHED',
      'ERR_STREAM_CANNOT_PIPE',
      'ERR_HTTP_HEADERS_SENT',
      'ERR_MULTIPLE_CALLBACK',
    ],
    category: 'programming',
    subcategory: 'stream-misuse',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A stream or response was used after it ended (write after end, headers sent twice, callback called twice): look for two code paths finishing the same stream.',
      zh: '流或响应在结束后仍被使用（结束后写入、重复发送响应头、回调被调用两次）：查找两个同时结束同一流的代码路径。',
    },
  },
  {
    id: 'programming.unhandled-error-event',
    code: 'ERR_UNHANDLED_ERROR',
    category: 'programming',
    subcategory: 'unhandled-error-event',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: "An EventEmitter emitted 'error' with no listener: add an 'error' handler to that emitter (streams, child processes, sockets).",
      zh: "EventEmitter 触发了 'error' 事件但没有监听器：为该对象（流、子进程、套接字）添加 'error' 处理函数。",
    },
  },
  {
    id: 'configuration.module-load',
    code: [
      'ERR_MODULE_NOT_FOUND',
      'MODULE_NOT_FOUND',
      'ERR_REQUIRE_ESM',
      'ERR_UNKNOWN_FILE_EXTENSION',
      'ERR_PACKAGE_PATH_NOT_EXPORTED',
      'ERR_UNSUPPORTED_DIR_IMPORT',
    ],
    category: 'configuration',
    subcategory: 'module-load',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'A module could not be loaded: run the install step for this deployment, and check the import path, its file extension and the package exports.',
      zh: '模块无法加载：为本次部署执行依赖安装，并检查导入路径、文件扩展名和包的 exports 配置。',
    },
  },
  {
    id: 'programming.type-error',
    name: 'TypeError',
    category: 'programming',
    subcategory: 'type-error',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A value had the wrong type (often undefined or null where an object was expected): guard the value named in the message at the top frame of the stack.',
      zh: '值的类型不对（常见为需要对象处却是 undefined 或 null）：在调用栈顶层帧处对消息中提到的值做判空或类型检查。',
    },
  },
  {
    id: 'programming.reference-error',
    name: 'ReferenceError',
    category: 'programming',
    subcategory: 'reference-error',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A name is not defined: a typo, a missing import, or use before initialisation; the stack points at the line.',
      zh: '使用了未定义的名称：可能是拼写错误、缺少导入或在初始化前使用；调用栈指出了具体行。',
    },
  },
  {
    id: 'programming.syntax-error',
    name: 'SyntaxError',
    category: 'programming',
    subcategory: 'syntax-error',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'Code or a pattern could not be parsed (dynamic code, a RegExp built from input): check the source text named in the message.',
      zh: '代码或模式无法解析（动态代码、由输入构造的正则表达式）：检查消息中提到的源文本。',
    },
  },
  {
    id: 'programming.range-error',
    name: ['RangeError', 'URIError'],
    category: 'programming',
    subcategory: 'range-error',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'A value was outside its allowed range (or a URI was malformed): validate numbers and encodings computed from input before using them.',
      zh: '数值超出允许范围（或 URI 格式错误）：在使用前校验由输入计算出的数值和编码。',
    },
  },
  {
    id: 'runtime.node-error',
    code: /^ERR_/,
    category: 'runtime',
    subcategory: 'node-error',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'Node reported an error code this table has no rule for: look the code up in the Node.js errors documentation and add a rule for it.',
      zh: 'Node 报告了一个本规则表未覆盖的错误码：在 Node.js 错误文档中查找该错误码，并为其添加规则。',
    },
  },
  {
    id: 'runtime.system-error',
    code: /^E[A-Z0-9]{2,}$/,
    category: 'runtime',
    subcategory: 'system-error',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The operating system returned an error code this table has no rule for: see `man errno` for the code and the syscall in the error, and add a rule for it.',
      zh: '操作系统返回了一个本规则表未覆盖的错误码：用 `man errno` 查看该错误码及错误中的系统调用，并为其添加规则。',
    },
  },
  {
    id: 'unknown.non-error',
    predicate: (s) => !s.errorLike,
    category: 'unknown',
    subcategory: 'non-error-thrown',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'A value that is not an Error was thrown (a string, null, a plain object), so there is no stack: throw an Error (with `cause`) at that place instead.',
      zh: '抛出的不是 Error 对象（字符串、null 或普通对象），因此没有调用栈：请在该处改为抛出 Error（可带 cause）。',
    },
  },
];

/** The catch-all, last in the table and the answer when classification itself fails. */
export const UNKNOWN_RULE: ClassificationRule = {
  id: 'unknown',
  category: 'unknown',
  severity: 'medium',
  retryable: false,
  suggestion: {
    en: 'No rule matched: read the message and stack, check the phase and memory at the error, and add a classification rule so the next one is classified.',
    zh: '没有匹配的规则：查看消息和调用栈，检查出错时的阶段和内存状态，并添加一条分类规则以便下次自动归类。',
  },
};
