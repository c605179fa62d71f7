import type { MetricDef, MetricType, ValueType } from '../metrics/types.js';
import type { SummaryInput } from './summary-data.js';

/** Shared test input: a realistic run with nested groups, checks, sub-metrics and thresholds. */

export const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

function def(name: string, type: MetricType, contains: ValueType = 'default'): MetricDef {
  return { name, type, contains };
}

const duration = def('http_req_duration', 'trend', 'time');

export function sampleInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    metrics: [
      { key: 'checks', def: def('checks', 'rate'), values: { rate: 0.5, passes: 45, fails: 45 } },
      { key: 'data_received', def: def('data_received', 'counter', 'data'), values: { count: 1_300_000, rate: 31_000 } },
      { key: 'data_sent', def: def('data_sent', 'counter', 'data'), values: { count: 81_000, rate: 2_000 } },
      {
        key: 'http_req_duration',
        def: duration,
        values: { avg: 144.56, min: 104.11, med: 110.47, max: 1140.5, 'p(90)': 203.54, 'p(95)': 215.95 },
        thresholds: { 'p(95)<500': true, 'avg<100': false },
      },
      {
        key: 'http_req_duration{expected_response:true}',
        def: duration,
        values: { avg: 144.56, min: 104.11, med: 110.47, max: 1140.5, 'p(90)': 203.54, 'p(95)': 215.95 },
      },
      {
        key: 'http_req_duration{status:200}',
        def: duration,
        values: { avg: 120, min: 100, med: 110, max: 300, 'p(90)': 200, 'p(95)': 210 },
        thresholds: { 'p(95)<250': true },
      },
      { key: 'http_req_failed', def: def('http_req_failed', 'rate'), values: { rate: 0, passes: 0, fails: 180 }, thresholds: { 'rate<0.01': true } },
      {
        key: 'http_req_receiving',
        def: def('http_req_receiving', 'trend', 'time'),
        values: { avg: 0.66396, min: 0.12846, med: 0.75982, max: 1.66, 'p(90)': 1.3, 'p(95)': 1.46 },
      },
      { key: 'http_reqs', def: def('http_reqs', 'counter'), values: { count: 180, rate: 4.369384 } },
      {
        key: 'iteration_duration',
        def: def('iteration_duration', 'trend', 'time'),
        values: { avg: 12_910, min: 12_530, med: 12_770, max: 74_350, 'p(90)': 13_360, 'p(95)': 13_370 },
      },
      { key: 'vus', def: def('vus', 'gauge'), values: { value: 1, min: 1, max: 19 } },
    ],
    checks: [
      { groupPath: '', name: 'status is 200', passes: 10, fails: 0 },
      { groupPath: '::cart::checkout', name: 'paid', passes: 3, fails: 0 },
      { groupPath: '::cart', name: 'added', passes: 2, fails: 1 },
      { groupPath: '', name: 'body ok', passes: 30, fails: 44 },
    ],
    groupPaths: ['::cart', '::cart::checkout', '::browse'],
    options: { summaryTrendStats: TREND_STATS, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 41_200 },
    extras: {
      version: 1,
      state: 'completed',
      errors: [],
      exitCode: 0,
      workers: 2,
      executionSegment: '0:1',
      iterations: { complete: 45, interrupted: 0 },
      scenarios: [{ name: 'default', executor: 'per-vu-iterations' }],
    },
    ...overrides,
  };
}
