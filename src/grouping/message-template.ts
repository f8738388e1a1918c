/**
 * Message normalization: masks the variable parts of an error message so that messages that
 * differ only in ids, paths, numbers, sizes, timecodes… share one template.
 *
 * Every rule is a regular expression whose start is guarded by a negative lookbehind of the
 * characters it consumes, so the engine only tries a rule at the start of a run and never
 * rescans the middle of one: each pass is linear in the input, and the input is bounded by
 * {@link MAX_MESSAGE_INPUT}. Placeholders are `<word>` with letters only, so later rules
 * (numbers, hex) never rewrite an earlier placeholder.
 */

/** Messages longer than this many UTF-16 units are cut before masking (and marked with `…`). */
export const MAX_MESSAGE_INPUT = 1024;

type Rule = readonly [pattern: RegExp, replacement: string | ((match: string) => string)];

const HEXISH = /^[0-9a-f]+$/i;

/**
 * Ordered: whole structures (URLs, quoted values, paths, emails) first, then composite values
 * with units (video terms, sizes, durations), then bare numbers and hex last.
 */
const RULES: readonly Rule[] = [
  // Quoted values. The lookbehind keeps English apostrophes (can't, file's) from opening a quote.
  [/(?<![\w'])'[^'\n]{0,400}'(?!\w)/g, '<str>'],
  [/"[^"\n]{0,400}"/g, '<str>'],
  [/`[^`\n]{0,400}`/g, '<str>'],
  [/[“「『‘][^”」』’\n]{0,400}[”」』’]/g, '<str>'],
  [/(?<![\w+.-])[a-z][a-z0-9+.-]{1,15}:\/\/[^\s'"<>)\]]+/gi, '<url>'],
  [/(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/gi, '<uuid>'],
  // ISO timestamps and dates before paths and IPs, which they would otherwise feed.
  [
    /(?<![\w.:-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w:])/g,
    '<time>',
  ],
  [/(?<![\w/.])\d{1,4}[/.]\d{1,2}[/.]\d{2,4}(?![\w/.])/g, '<date>'],
  // Windows paths (drive and UNC), then POSIX absolute, home and relative paths.
  [/(?<![\w\\])[a-z]:\\[^\s'"<>|,;)]*/gi, '<path>'],
  [/(?<![\w\\])\\\\[\w.$-]+\\[^\s'"<>|,;)]*/g, '<path>'],
  [/(?<![\w./~-])(?:~|\.{1,2})?\/[\w.@%+~-][^\s'"<>|,;:)\]]*/g, '<path>'],
  [/(?<![\w./-])(?:[\w@.-]+\/)+[\w.-]+\.[a-z0-9]{1,8}(?![\w/])/gi, '<path>'],
  // Timecodes and clock times (`00:01:23.45`, `01:02:03:12`), before IPv6 could take them.
  [/(?<![\w:.])\d{1,2}:\d{2}:\d{2}(?:[.:;]\d{1,3})?(?![\w:])/g, '<timecode>'],
  // IPv4 (with port) and bracketed IPv6 (with port).
  [/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])/g, '<ip>'],
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '<ip>'],
  // IPv6 only when compressed (`::`) or complete, so that `a:b:c` and timecodes stay apart.
  [/(?<![\w:])(?=[0-9a-f:]*::)[0-9a-f:]{2,45}(?![\w:])/gi, '<ip>'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?::\d{1,5})?(?![\w:])/gi, '<ip>'],
  // Temp file names (a temp dir path is already a <path>).
  [/(?<![\w.-])(?:[\w-]*[_.-])?(?:tmp|temp)[-_.][\w.-]*/gi, '<tmp>'],
  [/(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:tmp|temp|part|partial|crdownload)(?![\w.])/gi, '<tmp>'],
  // Video work.
  [/(?<![\w.])\d{2,5} ?[x×] ?\d{2,5}(?![\w.])/gi, '<resolution>'],
  [/(?<![\w.])\d{3,4}[pi](?![\w.])/g, '<resolution>'],
  [/(?<=(?:\bframes?|帧)[\s#=:_-]{0,3})\d+/gi, '<frame>'],
  [/(?<![\w.])\d+(?:\.\d+)? ?(?:[kmg]bps|[kmg]bit\/s|[kmg]b\/s)(?![\w/])/gi, '<bitrate>'],
  // ffmpeg-style bare suffixes (`-b:v 4500k`, `5M`); lowercase m stays a duration (minutes).
  [/(?<![\w.])\d+(?:\.\d+)?[kKM](?![\w/])/g, '<bitrate>'],
  // Sizes and durations.
  [/(?<![\w.])\d+(?:\.\d+)? ?(?:[kmgtp]i?b|bytes?|b)(?![\w/])/gi, '<size>'],
  [
    /(?<![\w.])\d+(?:\.\d+)? ?(?:ms|µs|us|ns|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days?|毫秒|秒|分钟|小时|天)(?![\w/])/gi,
    '<duration>',
  ],
  // Hex: 0x-prefixed, long hex runs (content hashes), and shorter hex ids that hold a digit.
  [/(?<![\w])0x[0-9a-f]+(?![\w])/gi, '<hex>'],
  [/(?<![\w-])[0-9a-f]{32,}(?![\w-])/gi, '<hash>'],
  [
    /(?<![\w-])[0-9a-z]{8,31}(?![\w-])/gi,
    (m) => (HEXISH.test(m) && /\d/.test(m) && /[a-f]/i.test(m) ? '<hex>' : m),
  ],
  // Bare numbers, also inside snake_case ids (job_42) but not inside words (h264, mp4, utf8).
  [/(?<![A-Za-z0-9.])[-+]?\d+(?:[.,]\d+)*/g, '<num>'],
];

const WHITESPACE = /\s+/g;

/**
 * V8's JSON.parse messages describe where the input broke (`Unexpected token 'x', "…" is not
 * valid JSON`, `Expected ',' or '}' after property value in JSON at position 7`, `Unexpected end
 * of JSON input`…): the wording varies with the input, not with the cause.
 */
const JSON_PARSE_FAMILY =
  /(?:\bin JSON at position\b|\bis not valid JSON\b|^Unexpected end of JSON input|\bafter JSON at position\b)/;
export const JSON_SYNTAX_TEMPLATE = 'Invalid JSON: <json-syntax>';

/**
 * Names of code, not data: the property in V8's `(reading 'x')` / `(setting 'x')` and the
 * identifier in `property 'x' of`, `module 'x'`. Kept, so that two property accesses in one
 * function stay apart; marked with control characters while the quote rules run.
 */
const CODE_NAME =
  /(\((?:reading|setting) |\b(?:property|module|method|function|export) )'([A-Za-z_$][\w$]{0,63})'/g;
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';
const MARKS = /[\u0001\u0002]/g;

/**
 * Masks the variable parts of an error message with placeholders: quoted values (`<str>`),
 * URLs, emails, UUIDs, timestamps and dates, POSIX and Windows paths, IP addresses with ports,
 * temp file names, timecodes (`00:01:23.45`), resolutions (`1920x1080`, `1080p`), frame numbers,
 * bitrates (`4500k`, `5 Mbps`), sizes (`12MB`), durations (`500ms`, `3 秒`), hex ids, content
 * hashes and numbers. Property and module names in V8's messages are code, not data, and stay
 * (`(reading 'width')`); every JSON.parse message becomes {@link JSON_SYNTAX_TEMPLATE}.
 * Whitespace runs become one space. Linear in the input, which is cut at {@link MAX_MESSAGE_INPUT}.
 */
export function normalizeMessage(message: string): string {
  let s = typeof message === 'string' ? message : String(message);
  if (s.length > MAX_MESSAGE_INPUT) s = s.slice(0, MAX_MESSAGE_INPUT) + '…';
  if (JSON_PARSE_FAMILY.test(s)) return JSON_SYNTAX_TEMPLATE;
  MARKS.lastIndex = 0;
  if (MARKS.test(s)) s = s.replace(MARKS, '');
  CODE_NAME.lastIndex = 0;
  const marked = CODE_NAME.test(s);
  if (marked) s = s.replace(CODE_NAME, `$1${MARK_OPEN}$2${MARK_CLOSE}`);
  for (const [pattern, replacement] of RULES) {
    // A cheap pre-check skips the replace (and its allocation) for rules that cannot match.
    pattern.lastIndex = 0;
    if (!pattern.test(s)) continue;
    pattern.lastIndex = 0;
    s = typeof replacement === 'string' ? s.replace(pattern, replacement) : s.replace(pattern, replacement);
  }
  if (marked) s = s.replace(MARKS, "'");
  return s.replace(WHITESPACE, ' ').trim();
}
