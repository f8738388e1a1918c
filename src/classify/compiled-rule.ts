import type { ClassificationRule, ClassificationSubject } from './classification-rule.js';
import type { ClassifierLocale } from './classifier-options.js';
import { ExceptionClassification, severityTextOf } from './exception-classification.js';

/** A rule turned into the cheapest checks: sets for names and codes, flag-free regexes, its result built once. */
export interface CompiledRule {
  readonly id: string;
  /** Exact codes; the classifier indexes the rule under each of them. */
  readonly codes: readonly string[] | undefined;
  readonly codePattern: RegExp | undefined;
  readonly names: ReadonlySet<string> | undefined;
  readonly messagePattern: RegExp | undefined;
  readonly messageText: string | undefined;
  readonly statusMin: number;
  readonly statusMax: number;
  readonly mediaFailures: ReadonlySet<string> | undefined;
  readonly predicate: ClassificationRule['predicate'];
  readonly result: ExceptionClassification;
}

export function compileRule(rule: ClassificationRule, locale: ClassifierLocale): CompiledRule {
  const sug = rule.suggestion;
  const suggestion = typeof sug === 'string' ? sug : locale === 'zh' ? sug.zh : sug.en;
  const status = rule.status;
  return {
    id: rule.id,
    codes:
      typeof rule.code === 'string' ? [rule.code] : Array.isArray(rule.code) ? [...rule.code] : undefined,
    codePattern: rule.code instanceof RegExp ? stateless(rule.code) : undefined,
    names:
      rule.name === undefined ? undefined : new Set(typeof rule.name === 'string' ? [rule.name] : rule.name),
    messagePattern: rule.message instanceof RegExp ? stateless(rule.message) : undefined,
    messageText: typeof rule.message === 'string' ? rule.message : undefined,
    statusMin: status === undefined ? -1 : typeof status === 'number' ? status : status[0],
    statusMax: status === undefined ? -1 : typeof status === 'number' ? status : status[1],
    mediaFailures:
      rule.mediaFailure === undefined
        ? undefined
        : new Set(typeof rule.mediaFailure === 'string' ? [rule.mediaFailure] : rule.mediaFailure),
    predicate: rule.predicate,
    result: new ExceptionClassification({
      category: rule.category,
      subcategory: rule.subcategory,
      severity: rule.severity,
      retryable: rule.retryable,
      suggestion,
      rule: rule.id,
      severityText: rule.severityText ?? severityTextOf(rule.severity),
    }),
  };
}

/**
 * Every criterion but the predicate, cheapest first. Exact codes are not checked here: the
 * classifier only offers a rule with exact codes to subjects whose code is one of them.
 */
export function matchesFields(rule: CompiledRule, s: ClassificationSubject): boolean {
  if (rule.codePattern !== undefined && (s.code === undefined || !rule.codePattern.test(s.code)))
    return false;
  if (rule.names !== undefined && !rule.names.has(s.name) && !rule.names.has(s.className)) return false;
  if (
    rule.statusMin !== -1 &&
    (s.status === undefined || s.status < rule.statusMin || s.status > rule.statusMax)
  ) {
    return false;
  }
  if (
    rule.mediaFailures !== undefined &&
    (s.mediaFailure === undefined || !rule.mediaFailures.has(s.mediaFailure))
  ) {
    return false;
  }
  if (rule.messageText !== undefined && !s.message.includes(rule.messageText)) return false;
  if (rule.messagePattern !== undefined && !rule.messagePattern.test(s.message)) return false;
  return true;
}

/** `g` and `y` make `test()` stateful (lastIndex); a rule must answer the same way every time. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}
