import { describe, expect, it } from 'vitest';
import { MetricsAggregate } from '../metrics/aggregate.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import { parseMetricSelector, parseThresholdExpression } from './parse.js';
import { compileThresholds, evaluateThresholds } from './thresholds.js';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<200', 'p(95)', '<', 200],
    ['p( 99.9 ) <= 1.5', 'p(99.9)', '<=', 1.5],
    ['avg>10', 'avg', '>', 10],
    ['med == 3', 'med', '==', 3],
    ['rate>=0.99', 'rate', '>=', 0.99],
    ['count!=0', 'count', '!=', 0],
    ['value===5', 'value', '===', 5],
    ['min>-1', 'min', '>', -1],
  ])('%s', (src, agg, op, value) => {
    expect(parseThresholdExpression(src)).toMatchObject({ aggregation: agg, operator: op, value });
  });
  it.each(['p95<200', 'p(101)<2', 'avg<', 'avg 200', 'mean<2', 'avg<abc', ''])('rejects %j', (src) => {
    expect(() => parseThresholdExpression(src)).toThrow(/invalid threshold/);
  });
  it('hints at the percentile syntax', () => {
    expect(() => parseThresholdExpression('p95<200')).toThrow(/written p\(95\)/);
  });
});

describe('parseMetricSelector', () => {
  it('reads names and tag filters', () => {
    expect(parseMetricSelector('http_reqs')).toEqual({ name: 'http_reqs', filter: {} });
    expect(parseMetricSelector('http_req_duration{status:200, method:"GET"}')).toEqual({ name: 'http_req_duration', filter: { status: '200', method: 'GET' } });
    expect(parseMetricSelector('d{name:my page}')).toEqual({ name: 'd', filter: { name: 'my page' } });
  });
  it.each(['1abc', 'a{}', 'a{b}', 'a{:x}', 'a b'])('rejects %j', (key) => {
    expect(() => parseMetricSelector(key)).toThrow(/invalid threshold metric/);
  });
});

describe('compile and evaluate', () => {
  const r = new MetricsRegistry();
  const d = r.define('http_req_duration', 'trend', 'time');
  const reqs = r.define('http_reqs', 'counter');
  const failed = r.define('http_req_failed', 'rate');
  const g = r.define('queue', 'gauge');
  for (let i = 1; i <= 100; i++) {
    const tags = TagSet.EMPTY.with('status', i <= 90 ? '200' : '500');
    r.add(d, tags, i);
    r.add(reqs, tags, 1);
    r.add(failed, tags, i > 90 ? 1 : 0);
  }
  r.add(g, TagSet.EMPTY, 4);
  const agg = new MetricsAggregate();
  agg.merge(r.takeSnapshot());
  const t = (s: string) => ({ source: s, abortOnFail: false, delayAbortEvalMs: 0 });

  it('evaluates against merged values, with sub-metric filters', () => {
    const compiled = compileThresholds(
      {
        http_req_duration: [t('p(95)<100'), t('max<50')],
        'http_req_duration{status:200}': [t('max<=90')],
        http_reqs: [t('count==100'), t('rate>10')],
        http_req_failed: [t('rate<0.05')],
        queue: [t('value==4')],
        'http_reqs{status:404}': [t('count>0')],
      },
      agg.defs(),
    );
    const outcomes = evaluateThresholds(compiled, agg, 1000);
    expect(outcomes.map((o) => `${o.threshold.key} ${o.threshold.expr.source} ${o.ok}`)).toEqual([
      'http_req_duration p(95)<100 true',
      'http_req_duration max<50 false',
      'http_req_duration{status:200} max<=90 true',
      'http_reqs count==100 true',
      'http_reqs rate>10 true',
      'http_req_failed rate<0.05 false',
      'queue value==4 true',
      'http_reqs{status:404} count>0 false',
    ]);
  });

  it('rejects unknown metrics and aggregations that do not fit the type', () => {
    expect(() => compileThresholds({ http_req_durations: [t('avg<1')] }, agg.defs())).toThrow(/no metric named http_req_durations \(did you mean http_req_duration\?\)/);
    expect(() => compileThresholds({ http_reqs: [t('p(95)<1')] }, agg.defs())).toThrow(/http_reqs is a counter; its thresholds use count, rate/);
    expect(() => compileThresholds({ queue: [t('avg<1')] }, agg.defs())).toThrow(/gauge/);
    expect(() => compileThresholds({ http_req_duration: [t('p95<1')] }, agg.defs())).toThrow(/invalid threshold "p95<1".*on http_req_duration/);
  });
});
