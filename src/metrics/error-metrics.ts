import type { Attributes, Meter } from '@opentelemetry/api';
import type { ErrorEngine } from '../engine/error-engine.js';
import { ATTR_CLASSIFICATION_CATEGORY, ATTR_ERROR_TYPE, ATTR_PHASE } from '../semconv.js';

/** Distinct `error.type` values put on the counter before the rest share one `_OTHER` value. */
const MAX_ERROR_TYPES = 100;

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
  const types = new Set<string>();
  engine.subscribe((record) => {
    let type = record.exception.type;
    if (!types.has(type)) {
      if (types.size < MAX_ERROR_TYPES) types.add(type);
      else type = '_OTHER';
    }
    const attributes: Attributes = {
      [ATTR_ERROR_TYPE]: type,
      [ATTR_CLASSIFICATION_CATEGORY]: record.classification.category,
    };
    if (record.phase !== undefined) attributes[ATTR_PHASE] = record.phase;
    errors.add(1, attributes);
  });
  meter
    .createObservableCounter('error_insight.errors.dropped', {
      description: 'Records error-insight could not keep (store overflow, captures after shutdown)',
      unit: '{error}',
    })
    .addCallback((result) => result.observe(engine.stats().dropped));
}
