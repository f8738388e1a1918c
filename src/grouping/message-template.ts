import { BoundedMap } from './bounded-map.js';
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

/** Features of a message, found in one pass; a rule runs only when all the features it needs are present. */
const F = {
  D: 1,
  Q1: 2,
  Q2: 4,
  Q3: 8,
  QC: 16,
  SL: 32,
  BS: 64,
  AT: 128,
  CO: 256,
  LB: 512,
  T: 1024,
} as const;

type Rule = readonly [pattern: RegExp, replacement: string, needs: number];

const TEMP_WORDS = /tmp|temp|\.part|crdownload/i;

function features(s: string): number {
  let f = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) f |= F.D;
    else if (c === 39) f |= F.Q1;
    else if (c === 34) f |= F.Q2;
    else if (c === 96) f |= F.Q3;
    else if (c === 47) f |= F.SL;
    else if (c === 92) f |= F.BS;
    else if (c === 64) f |= F.AT;
    else if (c === 58) f |= F.CO;
    else if (c === 91) f |= F.LB;
    else if (c === 0x201c || c === 0x300c || c === 0x300e || c === 0x2018) f |= F.QC;
  }
  if (TEMP_WORDS.test(s)) f |= F.T;
  return f;
}

const HEXISH = /^[0-9a-f]+$/i;
const HAS_DIGIT = /\d/;
const HAS_HEX_LETTER = /[a-f]/i;
const LEADING_DIGITS = /^\d+/;
const HEX_ID = '\u0000hex-id';

/**
 * Structures first, one pass each and in this order: quoted values, URLs, emails, UUIDs, paths,
 * bracketed and compressed IPv6, temp file names. Values (numbers with what follows them) come
 * after, in one combined pass: see {@link VALUES}.
 */
/**
 * A placeholder counts as a word for the boundaries of the rules around it, as the value it
 * replaced did: `>` joins every negative lookbehind and `<` every negative lookahead. This keeps
 * `normalizeMessage` idempotent (a template normalizes to itself).
 */
function placeholderAware(source: string): string {
  return source
    .replaceAll('(?<![', '(?<![>')
    .replaceAll('(?<!\\w)', '(?<![\\w>])')
    .replaceAll('(?![', '(?![<')
    .replaceAll('(?!\\w)', '(?![\\w<])');
}

const RAW_RULES: readonly Rule[] = [
  // Quoted values. The lookbehind keeps English apostrophes (can't, file's) from opening a quote.
  [/(?<![\w'])'[^'\n]{0,400}'(?!\w)/g, '<str>', F.Q1],
  [/"[^"\n]{0,400}"/g, '<str>', F.Q2],
  [/`[^`\n]{0,400}`/g, '<str>', F.Q3],
  [/[“「『‘][^”」』’\n]{0,400}[”」』’]/g, '<str>', F.QC],
  [/(?<![\w+.-])[a-z][a-z0-9+.-]{1,15}:\/\/[^\s'"<>)\]]+/gi, '<url>', F.CO | F.SL],
  [/(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>', F.AT],
  [/(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/gi, '<uuid>', F.D],
  // Windows paths (drive and UNC), then POSIX absolute, home and relative paths.
  [/(?<![\w\\])[a-z]:\\[^\s'"<>|,;)]*/gi, '<path>', F.BS],
  [/(?<![\w\\])\\\\[\w.$-]+\\[^\s'"<>|,;)]*/g, '<path>', F.BS],
  [/(?<![\w./~-])(?:~|\.{1,2})?\/[\w.@%+~-][^\s'"<>|,;:)\]]*/g, '<path>', F.SL],
  [/(?<![\w./-])(?:[\w@.-]+\/)+[\w.-]+\.[a-z0-9]{1,8}(?![\w/])/gi, '<path>', F.SL],
  // IPv6 bracketed, compressed (`::`) or complete, so that `a:b:c` and timecodes stay apart.
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '<ip>', F.LB],
  [/(?<![\w:])(?=[0-9a-f:]*::)[0-9a-f:]{2,45}(?![\w:])/gi, '<ip>', F.CO],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?::\d{1,5})?(?![\w:])/gi, '<ip>', F.CO],
  // Temp file names (a temp dir path is already a <path>).
  [/(?<![\w.-])(?:[\w-]*[_.-])?(?:tmp|temp)[-_.][\w.-]*/gi, '<tmp>', F.T],
  [/(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:tmp|temp|part|partial|crdownload)(?![\w.])/gi, '<tmp>', F.T],
];

const RULES: readonly Rule[] = RAW_RULES.map(
  ([re, placeholder, needs]) =>
    [new RegExp(placeholderAware(re.source), re.flags), placeholder, needs] as const,
);

/**
 * Values, as alternatives of one regular expression so that a message with digits is scanned
 * once rather than once per kind (a third of the cost). At one position the first alternative
 * that matches wins, so the order is the priority. Case-sensitive on purpose: `5m` is minutes,
 * `5M` a bitrate.
 */
const VALUES: ReadonlyArray<readonly [source: string, placeholder: string]> = [
  [
    String.raw`(?<![\w.:-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w:])`,
    '<time>',
  ],
  [String.raw`(?<![\w/.])\d{1,4}[/.]\d{1,2}[/.]\d{2,4}(?![\w/.])`, '<date>'],
  // Timecodes and clock times (`00:01:23.45`, `01:02:03:12`).
  [String.raw`(?<![\w:.])\d{1,2}:\d{2}:\d{2}(?:[.:;]\d{1,3})?(?![\w:])`, '<timecode>'],
  [String.raw`(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])`, '<ip>'],
  [String.raw`(?<![\w.])\d{2,5} ?[xX×] ?\d{2,5}(?![\w.])`, '<resolution>'],
  [String.raw`(?<![\w.])\d{3,4}[pi](?![\w.])`, '<resolution>'],
  [String.raw`(?<![\w.])\d+(?:\.\d+)? ?[kKmMgG](?:bps|Bps|bit\/s|b\/s)(?![\w/])`, '<bitrate>'],
  // ffmpeg-style bare suffixes (`-b:v 4500k`, `5M`).
  [String.raw`(?<![\w.])\d+(?:\.\d+)?[kKM](?![\w/])`, '<bitrate>'],
  [String.raw`(?<![\w.])\d+(?:\.\d+)? ?(?:[kKmMgGtTpP]i?[bB]|bytes?|[bB])(?![\w/])`, '<size>'],
  [
    String.raw`(?<![\w.])\d+(?:\.\d+)? ?(?:ms|µs|us|ns|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days?|毫秒|秒|分钟|小时|天)(?![\w/])`,
    '<duration>',
  ],
  [String.raw`(?<=(?:\b[fF]rames?|帧)[\s#=:_-]{0,3})\d+`, '<frame>'],
  [String.raw`(?<!\w)0[xX][0-9a-fA-F]+(?!\w)`, '<hex>'],
  [String.raw`(?<![\w-])[0-9a-fA-F]{32,}(?![\w-])`, '<hash>'],
  // Shorter ids: only when hex and holding a digit (checked in the replacer).
  [String.raw`(?<![\w-])[0-9a-zA-Z]{8,31}(?![\w-])`, HEX_ID],
  // Bare numbers, also inside snake_case ids (job_42) but not inside words (h264, mp4, utf8).
  [String.raw`(?<![A-Za-z0-9.])[-+]?\d+(?:[.,]\d+)*`, '<num>'],
];

/**
 * Every value starts where no letter, digit or placeholder stands before it; checking that once
 * up front lets the scan leave the inside of words after one test instead of one per alternative.
 */
const VALUE_START = '(?<![A-Za-z0-9>])';
const VALUES_PATTERN = new RegExp(
  `${VALUE_START}(?:${VALUES.map(([source]) => `(${placeholderAware(source)})`).join('|')})`,
  'g',
);
const VALUE_PLACEHOLDERS = VALUES.map(([, placeholder]) => placeholder);

function replaceValue(match: string, ...groups: unknown[]): string {
  for (let i = 0; i < VALUE_PLACEHOLDERS.length; i++) {
    if (groups[i] === undefined) continue;
    const placeholder = VALUE_PLACEHOLDERS[i]!;
    if (placeholder !== HEX_ID) return placeholder;
    if (HEXISH.test(match) && HAS_DIGIT.test(match) && HAS_HEX_LETTER.test(match)) return '<hex>';
    // Not an id: mask what the number alternative would have found in it (a leading number).
    return match.replace(LEADING_DIGITS, '<num>');
  }
  return match;
}

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
  const input = typeof message === 'string' ? message : String(message);
  if (input.length > MAX_MESSAGE_INPUT) return maskMessage(input);
  const known = templates.use(input);
  if (known !== undefined) return known;
  // `boom 1`, `boom 2`…: a message whose digits all end up under placeholders has the template
  // of any message of the same shape (see digitShape), so the mask runs once per shape.
  const shape = HAS_DIGIT.test(input) ? digitShape(input) : undefined;
  if (shape !== undefined) {
    const byShape = shapes.use(shape);
    if (byShape !== undefined) return byShape;
  }
  const template = maskMessage(input);
  templates.set(input, template);
  if (shape !== undefined && !HAS_DIGIT.test(template)) shapes.set(shape, template);
  return template;
}

// Storms repeat messages ("fetch failed", "socket hang up"): their templates are remembered
// (messages up to 1 KiB, as many as the engine keeps fingerprints by default and more, so that
// 10,000 groups in play still hit: ~16 MiB at the very worst, a few MiB for real messages).
const templates = new BoundedMap<string, string>(16_384);
const shapes = new BoundedMap<string, string>(16_384);
const NONZERO_DIGITS = /[1-9]/g;

/**
 * The message with every digit 1–9 written as 1. No rule above tells one nonzero digit from
 * another (they match `\d`, `[0-9…]` or `0[xX]`, by position and run length), so messages of one
 * shape are masked at the same places; when the template keeps no digit at all, it is the
 * template of every message of that shape.
 */
function digitShape(message: string): string {
  return message.replace(NONZERO_DIGITS, '1');
}

/** @internal The mask itself, uncached (exported for tests of the caches). */
export function maskMessage(input: string): string {
  let s = input;
  if (s.length > MAX_MESSAGE_INPUT) s = s.slice(0, MAX_MESSAGE_INPUT) + '…';
  if (JSON_PARSE_FAMILY.test(s)) return JSON_SYNTAX_TEMPLATE;
  MARKS.lastIndex = 0;
  if (MARKS.test(s)) s = s.replace(MARKS, '');
  CODE_NAME.lastIndex = 0;
  const marked = CODE_NAME.test(s);
  if (marked) s = s.replace(CODE_NAME, `$1${MARK_OPEN}$2${MARK_CLOSE}`);
  // Placeholders add no digit, quote, slash…, so the features of the input bound those of every step.
  const f = features(s);
  for (const [pattern, replacement, needs] of RULES) {
    if ((f & needs) === needs) s = s.replace(pattern, replacement);
  }
  if ((f & F.D) !== 0) s = s.replace(VALUES_PATTERN, replaceValue);
  if (marked) s = s.replace(MARKS, "'");
  return s.replace(WHITESPACE, ' ').trim();
}
