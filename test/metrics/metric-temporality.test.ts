import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { resolveTemporalityPreference, temporalitySelector } from '../../src/metrics/metric-temporality.js';

const enums = { AggregationTemporality, InstrumentType };

describe('metric temporality', () => {
  it('is cumulative by default and delta for counters and histograms when asked', () => {
    const cumulative = temporalitySelector(resolveTemporalityPreference(undefined), enums);
    expect(cumulative(InstrumentType.COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    const delta = temporalitySelector(resolveTemporalityPreference('DELTA'), enums);
    expect(delta(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    expect(delta(InstrumentType.UP_DOWN_COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    const low = temporalitySelector(resolveTemporalityPreference('lowmemory'), enums);
    expect(low(InstrumentType.HISTOGRAM)).toBe(AggregationTemporality.DELTA);
    expect(low(InstrumentType.OBSERVABLE_COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
  });

  it('refuses an unknown preference', () => {
    expect(() => resolveTemporalityPreference('sometimes')).toThrow(TypeError);
  });
});
