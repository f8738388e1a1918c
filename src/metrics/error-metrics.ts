import type { Attributes, Meter } from '@opentelemetry/api';
import type { ErrorEngine } from '../engine/error-engine.js';
import { ATTR_CLASSIFICATION_CATEGORY, ATTR_ERROR_TYPE, ATTR_PHASE } from '../semconv.js';

/** Distinct values of one attribute put on the counter before the rest share `_OTHER`. */
const MAX_VALUES_PER_ATTRIBUTE = 100;

/** Passes the first {@link MAX_VALUES_PER_ATTRIBUTE} distinct values through, then `_OTHER`. */
function capped(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= MAX_VALUES_PER_ATTRIBUTE) return '_OTHER';
    seen.add(value);
    return value;
  };
}

/**
 * Error counts as OpenTelemetry metrics. Attributes are the category, the phase and the error
 * type — never the fingerprint or the video hash, which would make a series per error and
 * swamp a metrics backend — and the type is capped so cardinality stays bounded.
 */
export function registerErrorMetrics(meter: Meter, engine: ErrorEngine): void {
  const errors = meter.createCounter('error_insight.errors', {
    description: 'Errors recorded by error-insight',
    unit: '{error}',
  });
  const type = capped();
  const phase = capped();
  engine.subscribe((record) => {
    const attributes: Attributes = {
      [ATTR_ERROR_TYPE]: type(record.exception.type),
      [ATTR_CLASSIFICATION_CATEGORY]: record.classification.category,
    };
    if (record.phase !== undefined) attributes[ATTR_PHASE] = phase(record.phase);
    errors.add(1, attributes);
  });
  meter
    .createObservableCounter('error_insight.errors.dropped', {
      description: 'Records error-insight could not keep (store overflow, captures after shutdown)',
      unit: '{error}',
    })
    .addCallback((result) => result.observe(engine.droppedCount()));
}
