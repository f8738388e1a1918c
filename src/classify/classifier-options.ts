import type { ClassificationRule } from './classification-rule.js';

/** Language of the suggestions. */
export type ClassifierLocale = 'en' | 'zh';

/** Options of an {@link ExceptionClassifier}. */
export interface ClassifierOptions {
  /**
   * User rules, tried in order before the built-ins; a rule whose id is a built-in's replaces it.
   * @default []
   */
  rules?: readonly ClassificationRule[];
  /** Language of the suggestions. @default 'en' */
  locale?: ClassifierLocale;
}

export const DEFAULT_CLASSIFIER_OPTIONS: Readonly<Required<ClassifierOptions>> = Object.freeze({
  rules: [],
  locale: 'en',
});

/** Classifier options with every default applied. */
export interface ResolvedClassifierOptions {
  readonly rules: readonly ClassificationRule[];
  readonly locale: ClassifierLocale;
}

const SEVERITIES = new Set(['low', 'medium', 'high', 'critical']);
const SEVERITY_TEXTS = new Set(['FATAL', 'ERROR', 'WARN']);

/** Applies defaults and rejects bad options with a TypeError/RangeError naming the rule at fault. */
export function resolveClassifierOptions(options: ClassifierOptions = {}): ResolvedClassifierOptions {
  if (options === null || typeof options !== 'object')
    throw new TypeError('classifier options must be an object');
  const locale = options.locale ?? DEFAULT_CLASSIFIER_OPTIONS.locale;
  if (locale !== 'en' && locale !== 'zh') {
    throw new RangeError(`classifier locale must be 'en' or 'zh', got ${JSON.stringify(locale)}`);
  }
  const rules = options.rules ?? DEFAULT_CLASSIFIER_OPTIONS.rules;
  if (!Array.isArray(rules)) throw new TypeError('classifier rules must be an array');
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    validateRule(rule, `rules[${i}]`);
    if (seen.has(rule.id)) throw new TypeError(`classifier rule id "${rule.id}" is used twice`);
    seen.add(rule.id);
  });
  return { rules: [...rules], locale };
}

/** Throws a TypeError/RangeError when a rule is malformed; exported so built-ins are checked too. */
export function validateRule(rule: ClassificationRule, where: string): void {
  if (rule === null || typeof rule !== 'object') throw new TypeError(`${where} must be an object`);
  const at = `${where} (${String(rule.id)})`;
  if (typeof rule.id !== 'string' || rule.id === '')
    throw new TypeError(`${where}.id must be a non-empty string`);
  if (typeof rule.category !== 'string' || rule.category === '') {
    throw new TypeError(`${at}.category must be a non-empty string`);
  }
  if (rule.subcategory !== undefined && typeof rule.subcategory !== 'string') {
    throw new TypeError(`${at}.subcategory must be a string`);
  }
  if (!SEVERITIES.has(rule.severity)) {
    throw new RangeError(`${at}.severity must be low, medium, high or critical`);
  }
  if (rule.severityText !== undefined && !SEVERITY_TEXTS.has(rule.severityText)) {
    throw new RangeError(`${at}.severityText must be FATAL, ERROR or WARN`);
  }
  if (typeof rule.retryable !== 'boolean') throw new TypeError(`${at}.retryable must be a boolean`);
  const sug = rule.suggestion;
  const sugOk =
    (typeof sug === 'string' && sug !== '') ||
    (sug !== null && typeof sug === 'object' && typeof sug.en === 'string' && typeof sug.zh === 'string');
  if (!sugOk) throw new TypeError(`${at}.suggestion must be a non-empty string or { en, zh }`);
  checkStrings(rule.name, `${at}.name`, false);
  checkStrings(rule.code, `${at}.code`, true);
  checkStrings(rule.mediaFailure, `${at}.mediaFailure`, false);
  if (rule.message !== undefined && typeof rule.message !== 'string' && !(rule.message instanceof RegExp)) {
    throw new TypeError(`${at}.message must be a string or a RegExp`);
  }
  const st = rule.status;
  if (st !== undefined) {
    const [min, max] = typeof st === 'number' ? [st, st] : Array.isArray(st) ? st : [Number.NaN, Number.NaN];
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
      throw new RangeError(`${at}.status must be an integer or an inclusive [min, max] range`);
    }
  }
  if (rule.predicate !== undefined && typeof rule.predicate !== 'function') {
    throw new TypeError(`${at}.predicate must be a function`);
  }
}

function checkStrings(v: unknown, where: string, regexAllowed: boolean): void {
  if (v === undefined || typeof v === 'string') return;
  if (regexAllowed && v instanceof RegExp) return;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return;
  throw new TypeError(`${where} must be a string, an array of strings${regexAllowed ? ' or a RegExp' : ''}`);
}
