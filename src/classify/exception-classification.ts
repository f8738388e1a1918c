import type { ClassificationInfo, Severity } from '../record.js';
import type { SeverityText } from './classification-rule.js';

/** Fields an {@link ExceptionClassification} is built from. */
export interface ExceptionClassificationFields {
  category: string;
  subcategory?: string | undefined;
  severity: Severity;
  retryable: boolean;
  suggestion: string;
  rule: string;
  severityText: SeverityText;
}

/** Maps a severity to OpenTelemetry log severity text: a crash or OOM is FATAL, an expected failure WARN. */
export function severityTextOf(severity: Severity): SeverityText {
  if (severity === 'critical') return 'FATAL';
  if (severity === 'low') return 'WARN';
  return 'ERROR';
}

/**
 * The verdict on one thrown value: what kind of failure it is, how bad, whether a retry can
 * help, and what to do about it. Instances are immutable and shared between calls that match
 * the same rule.
 */
export class ExceptionClassification implements ClassificationInfo {
  readonly category: string;
  declare readonly subcategory?: string;
  readonly severity: Severity;
  readonly retryable: boolean;
  readonly suggestion: string;
  /** Id of the rule that matched. */
  readonly rule: string;
  readonly severityText: SeverityText;

  constructor(fields: ExceptionClassificationFields) {
    this.category = fields.category;
    if (fields.subcategory !== undefined) this.subcategory = fields.subcategory;
    this.severity = fields.severity;
    this.retryable = fields.retryable;
    this.suggestion = fields.suggestion;
    this.rule = fields.rule;
    this.severityText = fields.severityText;
    Object.freeze(this);
  }

  /** A fresh plain object, as kept in a record (`subcategory` left out when there is none). */
  toJSON(): ClassificationInfo {
    const { category, subcategory, severity, retryable, suggestion, rule, severityText } = this;
    return subcategory === undefined
      ? { category, severity, retryable, suggestion, rule, severityText }
      : { category, subcategory, severity, retryable, suggestion, rule, severityText };
  }
}
