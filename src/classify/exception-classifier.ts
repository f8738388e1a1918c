import { BUILT_IN_RULES, UNKNOWN_RULE } from './built-in-rules.js';
import type { ClassificationRule, ClassificationSubject } from './classification-rule.js';
import { toClassificationSubject } from './classification-subject.js';
import {
  type ClassifierLocale,
  type ClassifierOptions,
  type ResolvedClassifierOptions,
  resolveClassifierOptions,
} from './classifier-options.js';
import { type CompiledRule, compileRule, matchesFields } from './compiled-rule.js';
import type { ExceptionClassification } from './exception-classification.js';

export type { ClassifierLocale, ClassifierOptions } from './classifier-options.js';

/**
 * Classifies thrown values with an ordered rule table: user rules, then the built-ins, first
 * match wins. `classify` runs on every error, so the table is compiled once: rules that name
 * exact codes are indexed by code, and a value is only tried against the rules indexed under
 * its code plus the rules that name no exact code, still in table order.
 */
export class ExceptionClassifier {
  readonly locale: ClassifierLocale;
  /** Ids of the effective rules, in the order they are tried. */
  readonly ruleIds: readonly string[];
  private readonly byCode = new Map<string, CompiledRule[]>();
  private readonly codeless: CompiledRule[] = [];
  private readonly fallback: ExceptionClassification;
  private failures = 0;

  constructor(options?: ClassifierOptions) {
    const resolved: ResolvedClassifierOptions = resolveClassifierOptions(options);
    this.locale = resolved.locale;
    const userIds = new Set(resolved.rules.map((r) => r.id));
    const table: ClassificationRule[] = [
      ...resolved.rules,
      ...BUILT_IN_RULES.filter((r) => !userIds.has(r.id)),
    ];
    const compiled = table.map((r) => compileRule(r, resolved.locale));
    this.ruleIds = Object.freeze(compiled.map((r) => r.id));
    for (const rule of compiled) {
      if (rule.codes === undefined) continue;
      for (const code of rule.codes) if (!this.byCode.has(code)) this.byCode.set(code, []);
    }
    // Each code's list holds its own rules and every codeless rule, interleaved in table order.
    for (const rule of compiled) {
      if (rule.codes === undefined) {
        this.codeless.push(rule);
        for (const list of this.byCode.values()) list.push(rule);
      } else {
        for (const code of new Set(rule.codes)) this.byCode.get(code)!.push(rule);
      }
    }
    const unknown = userIds.has(UNKNOWN_RULE.id)
      ? resolved.rules.find((r) => r.id === UNKNOWN_RULE.id)!
      : UNKNOWN_RULE;
    this.fallback = compileRule({ ...unknown, predicate: undefined }, resolved.locale).result;
  }

  /** Predicate calls that threw (each counted as no match) and internal failures so far. */
  get failureCount(): number {
    return this.failures;
  }

  /** The classification of any thrown value; never throws (falls back to the `unknown` rule). */
  classify(value: unknown): ExceptionClassification {
    try {
      const subject = toClassificationSubject(value);
      const list = (subject.code !== undefined && this.byCode.get(subject.code)) || this.codeless;
      for (const rule of list) {
        if (
          matchesFields(rule, subject) &&
          (rule.predicate === undefined || this.check(rule, subject, value))
        ) {
          return rule.result;
        }
      }
    } catch (err) {
      this.fail('classification', err);
    }
    return this.fallback;
  }

  private check(rule: CompiledRule, subject: ClassificationSubject, value: unknown): boolean {
    try {
      return rule.predicate!(subject, value) === true;
    } catch (err) {
      this.fail(`rule "${rule.id}" predicate`, err);
      return false;
    }
  }

  private fail(what: string, err: unknown): void {
    this.failures++;
    if (this.failures > 1) return;
    let detail: string;
    try {
      detail = err instanceof Error ? err.message : String(err);
    } catch {
      detail = 'unprintable value';
    }
    process.stderr.write(
      `error-insight: ${what} threw (${detail}); treated as no match. Later failures are only counted (failureCount).\n`,
    );
  }
}

let defaultClassifier: ExceptionClassifier | undefined;
const byOptions = new WeakMap<ClassifierOptions, ExceptionClassifier>();

/**
 * Classifies one thrown value. Without options it uses a shared default classifier; with
 * options it builds one per options object and reuses it while that object lives.
 */
export function classifyException(value: unknown, options?: ClassifierOptions): ExceptionClassification {
  if (options === undefined) {
    defaultClassifier ??= new ExceptionClassifier();
    return defaultClassifier.classify(value);
  }
  let classifier = byOptions.get(options);
  if (classifier === undefined) {
    classifier = new ExceptionClassifier(options);
    byOptions.set(options, classifier);
  }
  return classifier.classify(value);
}
