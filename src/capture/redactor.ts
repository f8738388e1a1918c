import { BoundedMap } from '../grouping/bounded-map.js';
import { keySegments } from './key-segments.js';
import { SECRET_HINT, SECRET_VALUE_RULES, type SecretValueRule } from './secret-patterns.js';

/** What to redact besides the built-in lists. */
export interface RedactOptions {
  /**
   * Extra sensitive keys. They extend the built-in list and never replace it. A string matches
   * a key that is equal to it or has it as a whole segment (compared case-insensitively, with
   * `_`, `-`, `.` and spaces ignored); a RegExp is tested against the raw key.
   * @default []
   */
  keys?: Array<string | RegExp>;
  /**
   * Extra value patterns: every match inside any string becomes the censor.
   * @default []
   */
  patterns?: RegExp[];
  /**
   * What replaces a redacted value.
   * @default '[Filtered]'
   */
  censor?: string;
}

/** The censor used when none is given. */
export const DEFAULT_CENSOR = '[Filtered]';

/**
 * Built-in sensitive words. Policy: a key is sensitive when one of its segments, two adjacent
 * segments joined, or the whole key joined, is in this list. Segments are split on `_`, `-`,
 * `.`, spaces and camelCase humps, so `access_token`, `x-api-key`, `apiKey`, `set-cookie` and
 * `CLIENT_SECRET` match, while `author`, `keyboard`, `monkey` and `tokenizer` do not: Sentry's
 * substring matching on `auth` and `key` filters those too, and losing ordinary context hurts
 * diagnosis more than an unusual key name that slips through (add it to `keys`).
 */
const SENSITIVE_WORDS: readonly string[] = [
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'apikeys',
  'auth',
  'authorization',
  'cookie',
  'cookies',
  'setcookie',
  'privatekey',
  'secretkey',
  'accesskey',
  'credential',
  'credentials',
  'jwt',
  'bearer',
  'sessionid',
  'csrf',
  'xsrf',
  'forwarded',
  'realip',
  'clientip',
  'remoteip',
  'signature',
  // Chinese: password, passphrase, secret key, token.
  '密码',
  '口令',
  '密钥',
  '令牌',
];

/** Cached key decisions: context keys repeat a lot, and the split costs more than a lookup. */
const KEY_CACHE_LIMIT = 4096;
/**
 * Cached redactions of recurring text (the frames of a stack trace, the same for every error
 * thrown from one place). Scanning 700 characters of frames costs about 4 µs; a lookup, well
 * under 1 µs. Bounded in entries and in the length of what is cached (a few MiB in practice:
 * text without secrets is its own result, one string).
 */
const TEXT_CACHE_LIMIT = 4096;
const TEXT_CACHE_MAX_CHARS = 8192;

/** Masks secrets in keys and string values. Construct once; methods never throw. */
export class Redactor {
  readonly censor: string;
  private readonly words: Set<string>;
  private readonly keyPatterns: readonly RegExp[];
  private readonly userRules: readonly SecretValueRule[];
  private readonly cache = new Map<string, boolean>();
  private readonly textCache = new BoundedMap<string, string>(TEXT_CACHE_LIMIT);

  /**
   * @throws TypeError when an option has the wrong type.
   */
  constructor(options: RedactOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new TypeError('redact options must be an object');
    const { keys = [], patterns = [], censor = DEFAULT_CENSOR } = options;
    if (typeof censor !== 'string') throw new TypeError('redact censor must be a string');
    if (!Array.isArray(keys)) throw new TypeError('redact keys must be an array of strings or RegExps');
    if (!Array.isArray(patterns)) throw new TypeError('redact patterns must be an array of RegExps');
    this.censor = censor;
    this.words = new Set(SENSITIVE_WORDS);
    const keyPatterns: RegExp[] = [];
    for (const key of keys) {
      if (typeof key === 'string') {
        const joined = keySegments(key).join('');
        if (joined === '') throw new TypeError(`redact key "${key}" has no letters or digits`);
        this.words.add(joined);
      } else if (key instanceof RegExp) {
        keyPatterns.push(new RegExp(key.source, key.flags.replace(/[gy]/g, '')));
      } else {
        throw new TypeError('redact keys must be strings or RegExps');
      }
    }
    this.keyPatterns = keyPatterns;
    const userRules: SecretValueRule[] = patterns.map((pattern) => {
      if (!(pattern instanceof RegExp)) throw new TypeError('redact patterns must be RegExps');
      const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
      return { pattern: new RegExp(pattern.source, flags), replace: () => censor };
    });
    this.userRules = userRules;
  }

  /** True when values under `key` must be replaced by the censor. */
  isSensitiveKey(key: string): boolean {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let sensitive = false;
    try {
      sensitive = this.matchKey(key);
    } catch {
      // A user RegExp can only throw on absurd input; treat the key as sensitive to be safe.
      sensitive = true;
    }
    if (key.length <= 128) {
      if (this.cache.size >= KEY_CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, sensitive);
    }
    return sensitive;
  }

  /**
   * Masks secret-looking parts of a string: bearer/basic credentials, JWTs, AWS access key ids,
   * PEM private keys, URL userinfo, GitHub/Slack/Stripe tokens, Luhn-valid card numbers, secret
   * query parameters and `key=value` pairs whose key is sensitive (also `密码：…`), and the
   * user's patterns. Built-in patterns run in linear time.
   */
  redactString(value: string): string {
    if (typeof value !== 'string' || value.length < 6) return value;
    let out = SECRET_HINT.test(value) ? this.applyRules(value, SECRET_VALUE_RULES) : value;
    if (this.userRules.length > 0) out = this.applyRules(out, this.userRules);
    return out;
  }

  /** {@link redactString} for text that recurs verbatim, such as stack frames: results are cached. */
  redactRecurring(value: string): string {
    const cached = this.textCache.use(value);
    if (cached !== undefined) return cached;
    const out = this.redactString(value);
    if (value.length <= TEXT_CACHE_MAX_CHARS) this.textCache.set(value, out);
    return out;
  }

  private applyRules(value: string, rules: readonly SecretValueRule[]): string {
    let out = value;
    for (const rule of rules) {
      try {
        rule.pattern.lastIndex = 0;
        out = out.replace(rule.pattern, (...args) => rule.replace(args, this));
      } catch {
        // Keep going with the other rules; a broken user pattern must not leak the rest.
      }
    }
    return out;
  }

  private matchKey(key: string): boolean {
    const segments = keySegments(key);
    const words = this.words;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (words.has(segment)) return true;
      if (i + 1 < segments.length && words.has(segment + segments[i + 1]!)) return true;
    }
    if (segments.length > 2 && words.has(segments.join(''))) return true;
    for (const pattern of this.keyPatterns) {
      if (pattern.test(key)) return true;
    }
    return false;
  }
}
