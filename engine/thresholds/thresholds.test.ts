import { describe, expect, it } from 'vitest';
import { MetricsAggregate } from '../metrics/aggregate.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import type { ResolvedThreshold } from '../options/types.js';
import { closestNames, editDistance } from './closest.js';
import { compileThresholds, evaluateThresholds, type ThresholdOutcome } from './thresholds.js';

const t = (source: string, abortOnFail = false, delayAbortEvalMs = 0): ResolvedThreshold => ({ source, abortOnFail, delayAbortEvalMs });

/**
 * A test run: 100 requests, 90 with status 200 and 10 with 500, durations 0.01..1 ms (values the
 * histograms hold exactly, so percentiles equal k6's), a gauge, and metrics that got nothing.
 */
function run(): MetricsAggregate {
  const r = new MetricsRegistry();
  const d = r.define('http_req_duration', 'trend', 'time');
  const reqs = r.define('http_reqs', 'counter');
  const failed = r.define('http_req_failed', 'rate');
  const queue = r.define('queue', 'gauge');
  r.define('never_counter', 'counter');
  r.define('never_trend', 'trend');
  r.define('never_rate', 'rate');
  r.define('never_gauge', 'gauge');
  for (let i = 1; i <= 100; i++) {
    const tags = TagSet.EMPTY.with('status', i <= 90 ? '200' : '500').with('name', i % 2 === 0 ? 'even' : 'odd');
    r.add(d, tags, i / 100);
    r.add(reqs, tags, 1);
    r.add(failed, tags, i > 90 ? 1 : 0);
  }
  r.add(queue, TagSet.EMPTY, 4);
  const agg = new MetricsAggregate();
  agg.merge(r.takeSnapshot());
  return agg;
}

const summary = (outcomes: ThresholdOutcome[]) =>
  outcomes.map((o) => `${o.threshold.key} ${o.threshold.expr.source} ${o.ok ? 'ok' : 'crossed'} ${o.observed === undefined ? 'undefined' : +o.observed.toFixed(9)}`);

describe('compileThresholds', () => {
  const defs = run().defs();

  it('compiles keys, sub-metric filters and options', () => {
    const compiled = compileThresholds({ 'http_req_duration{status:200}': [t('p(95)<300', true, 10_000), t('avg<100')] }, defs);
    expect(compiled).toEqual([
      {
        key: 'http_req_duration{status:200}',
        metric: 'http_req_duration',
        type: 'trend',
        filter: { status: '200' },
        expr: { source: 'p(95)<300', aggregation: 'p(95)', percentile: 95, operator: '<', value: 300 },
        abortOnFail: true,
        delayAbortEvalMs: 10_000,
      },
      {
        key: 'http_req_duration{status:200}',
        metric: 'http_req_duration',
        type: 'trend',
        filter: { status: '200' },
        expr: { source: 'avg<100', aggregation: 'avg', operator: '<', value: 100 },
        abortOnFail: false,
        delayAbortEvalMs: 0,
      },
    ]);
  });

  it.each([
    [{ http_req_durations: [t('avg<1')] }, 'invalid threshold on "http_req_durations": no metric named http_req_durations (did you mean http_req_duration?)'],
    [{ 'http_req_duraton{status:200}': [t('avg<1')] }, 'invalid threshold on "http_req_duraton{status:200}": no metric named http_req_duraton (did you mean http_req_duration?)'],
    [{ my_custom: [t('count>1')] }, 'invalid threshold on "my_custom": no metric named my_custom; custom metrics must be created in the init context (module scope)'],
    [{ http_reqs: [t('p(95)<1')] }, 'invalid threshold "p(95)<1" on http_reqs: http_reqs is a counter, which supports count, rate, not p(95)'],
    [{ http_reqs: [t('avg<1')] }, 'invalid threshold "avg<1" on http_reqs: http_reqs is a counter, which supports count, rate, not avg'],
    [{ queue: [t('max<1')] }, 'invalid threshold "max<1" on queue: queue is a gauge, which supports value, not max'],
    [{ http_req_failed: [t('count<1')] }, 'invalid threshold "count<1" on http_req_failed: http_req_failed is a rate, which supports rate, not count'],
    [{ http_req_duration: [t('rate<1')] }, 'invalid threshold "rate<1" on http_req_duration: http_req_duration is a trend, which supports avg, min, max, med, p(N), not rate'],
    [{ http_req_duration: [t('count<1')] }, 'invalid threshold "count<1" on http_req_duration: http_req_duration is a trend, which supports avg, min, max, med, p(N), not count'],
    [{ 'http_req_duration{status}': [t('avg<1')] }, 'invalid threshold metric "http_req_duration{status}": "status" is not tag:value'],
    [{ http_req_duration: [t('avg<1'), t('p95<1')] }, 'invalid threshold "p95<1": unknown aggregation "p95"; percentiles are written p(95) (on http_req_duration)'],
  ])('rejects %j', (thresholds, message) => {
    expect(() => compileThresholds(thresholds, defs)).toThrow(expect.objectContaining({ code: 'INVALID_THRESHOLD', message }));
  });
});

describe('evaluateThresholds', () => {
  const agg = run();

  it('evaluates against merged values, with sub-metric filters', () => {
    const compiled = compileThresholds(
      {
        http_req_duration: [t('p(95)<1'), t('max<0.5'), t('med==0.505'), t('min>=0.01'), t('avg<0.6')],
        'http_req_duration{status:200}': [t('max<=0.9'), t('p(100)<0.9')],
        'http_req_duration{status:500,name:even}': [t('min===0.92'), t('avg>0.97')],
        http_reqs: [t('count==100'), t('rate>10'), t('rate<=50')],
        'http_reqs{status:500}': [t('count<10')],
        http_req_failed: [t('rate<0.05'), t('rate==0.1')],
        'http_req_failed{status:200}': [t('rate==0')],
        queue: [t('value==4'), t('value!=4')],
      },
      agg.defs(),
    );
    expect(summary(evaluateThresholds(compiled, agg, 2000))).toEqual([
      'http_req_duration p(95)<1 ok 0.9505',
      'http_req_duration max<0.5 crossed 1',
      'http_req_duration med==0.505 ok 0.505',
      'http_req_duration min>=0.01 ok 0.01',
      'http_req_duration avg<0.6 ok 0.505',
      'http_req_duration{status:200} max<=0.9 ok 0.9',
      'http_req_duration{status:200} p(100)<0.9 crossed 0.9',
      'http_req_duration{status:500,name:even} min===0.92 ok 0.92',
      'http_req_duration{status:500,name:even} avg>0.97 crossed 0.96',
      'http_reqs count==100 ok 100',
      'http_reqs rate>10 ok 50',
      'http_reqs rate<=50 ok 50',
      'http_reqs{status:500} count<10 crossed 10',
      'http_req_failed rate<0.05 crossed 0.1',
      'http_req_failed rate==0.1 ok 0.1',
      'http_req_failed{status:200} rate==0 ok 0',
      'queue value==4 ok 4',
      'queue value!=4 crossed 4',
    ]);
  });

  it('follows k6 at the end of a test for metrics without samples', () => {
    const compiled = compileThresholds(
      {
        never_counter: [t('count>0'), t('count==0'), t('rate<1')],
        'http_reqs{status:404}': [t('count>0')],
        never_gauge: [t('value>0')],
        never_trend: [t('p(95)<200'), t('avg>10')],
        'http_req_duration{status:404}': [t('max<1')],
        never_rate: [t('rate>0.99')],
        'http_req_failed{status:404}': [t('rate<0.01')],
      },
      agg.defs(),
    );
    expect(summary(evaluateThresholds(compiled, agg, 1000))).toEqual([
      'never_counter count>0 crossed 0',
      'never_counter count==0 ok 0',
      'never_counter rate<1 ok 0',
      'http_reqs{status:404} count>0 crossed 0',
      'never_gauge value>0 crossed 0',
      'never_trend p(95)<200 ok 0',
      'never_trend avg>10 crossed 0',
      'http_req_duration{status:404} max<1 ok 0',
      'never_rate rate>0.99 ok undefined',
      'http_req_failed{status:404} rate<0.01 ok undefined',
    ]);
  });

  it('skips metrics without samples while the test runs (ignoreEmpty)', () => {
    const compiled = compileThresholds({ never_counter: [t('count>0', true)], 'http_reqs{status:404}': [t('count>0', true)], http_reqs: [t('count<50', true)] }, agg.defs());
    expect(summary(evaluateThresholds(compiled, agg, 1000, { ignoreEmpty: true }))).toEqual([
      'never_counter count>0 ok undefined',
      'http_reqs{status:404} count>0 ok undefined',
      'http_reqs count<50 crossed 100',
    ]);
  });

  it('sees samples merged after compiling', () => {
    const live = new MetricsAggregate();
    const r = new MetricsRegistry();
    const d = r.define('http_req_duration', 'trend', 'time');
    live.merge(r.takeSnapshot());
    const compiled = compileThresholds({ 'http_req_duration{status:200}': [t('p(99)<500')] }, live.defs());
    expect(evaluateThresholds(compiled, live, 1000, { ignoreEmpty: true })[0]).toMatchObject({ ok: true, observed: undefined });
    r.add(d, TagSet.EMPTY.with('status', '200'), 250);
    live.merge(r.takeSnapshot());
    expect(evaluateThresholds(compiled, live, 1000)[0]).toMatchObject({ ok: true, observed: 250 });
    r.add(d, TagSet.EMPTY.with('status', '200'), 900);
    r.add(d, TagSet.EMPTY.with('status', '500'), 5000);
    live.merge(r.takeSnapshot());
    // p(99) of [250, 900] is 893.5 (k6's interpolation); 250 ms sits in a 128 µs wide slot
    const outcome = evaluateThresholds(compiled, live, 1000)[0]!;
    expect(outcome.ok).toBe(false);
    expect(outcome.observed).toBeCloseTo(893.5, 2);
  });
});

describe('closestNames', () => {
  it('suggests near misses, closest first', () => {
    const names = ['http_req_duration', 'http_req_waiting', 'http_reqs', 'iterations', 'vus'];
    expect(closestNames('http_req', names)).toEqual(['http_reqs', 'http_req_waiting', 'http_req_duration']);
    expect(closestNames('iteration', names)).toEqual(['iterations']);
    expect(closestNames('vu', names)).toEqual(['vus']);
    expect(closestNames('zzz', names)).toEqual([]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
