import type { ThresholdOutcome } from '../thresholds/thresholds.js';
import type { RecordThreshold } from './types.js';

/** The record's `thresholds`: each one's metric, expression, result and the value it was judged on. */
export function recordThresholds(outcomes: readonly ThresholdOutcome[]): RecordThreshold[] {
  return outcomes.map((o) => ({
    metric: o.threshold.key,
    source: o.threshold.expr.source,
    ok: o.ok,
    ...(o.observed === undefined ? {} : { value: o.observed }),
    abortOnFail: o.threshold.abortOnFail,
  }));
}
