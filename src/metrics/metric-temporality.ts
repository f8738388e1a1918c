import type { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';

/** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/** Validates a temporality preference; an unknown value is an error at registration. */
export function resolveTemporalityPreference(value: string | undefined): TemporalityPreference {
  const v = (value ?? 'cumulative').trim().toLowerCase();
  if (v === 'cumulative' || v === 'delta' || v === 'lowmemory') return v;
  throw new TypeError(
    `error-insight: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE must be cumulative, delta or lowmemory, got ${JSON.stringify(v)}`,
  );
}

/** The enums of `@opentelemetry/sdk-metrics`, passed in so this module does not load it. */
export interface TemporalityEnums {
  AggregationTemporality: typeof AggregationTemporality;
  InstrumentType: typeof InstrumentType;
}

/**
 * The SDK's temporality selectors (exporter-metrics-otlp-http 0.223, OTLPMetricExporterBase.ts),
 * restated because the reader asks when instruments are created, before the OTLP exporter is
 * loaded.
 */
export function temporalitySelector(
  preference: TemporalityPreference,
  { AggregationTemporality: T, InstrumentType: I }: TemporalityEnums,
): (type: InstrumentType) => AggregationTemporality {
  const delta =
    preference === 'delta'
      ? new Set([I.COUNTER, I.OBSERVABLE_COUNTER, I.GAUGE, I.HISTOGRAM, I.OBSERVABLE_GAUGE])
      : preference === 'lowmemory'
        ? new Set([I.COUNTER, I.HISTOGRAM])
        : new Set<InstrumentType>();
  return (type) => (delta.has(type) ? T.DELTA : T.CUMULATIVE);
}
