import { describe, expect, it } from 'vitest';
import { parseMetricSelector, parseThresholdExpression } from './parse.js';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<200', 'p(95)', 95, '<', 200],
    ['p(99.9) <= 1.5', 'p(99.9)', 99.9, '<=', 1.5],
    ['p(0)>=0', 'p(0)', 0, '>=', 0],
    ['p(100)<1e3', 'p(100)', 100, '<', 1000],
    ['p(95.0)<1', 'p(95)', 95, '<', 1],
    ['avg>10', 'avg', undefined, '>', 10],
    ['  med  ==  3  ', 'med', undefined, '==', 3],
    ['min>-1', 'min', undefined, '>', -1],
    ['max<+2.5', 'max', undefined, '<', 2.5],
    ['rate>=0.99', 'rate', undefined, '>=', 0.99],
    ['rate<.01', 'rate', undefined, '<', 0.01],
    ['count!=0', 'count', undefined, '!=', 0],
    ['value===5', 'value', undefined, '==', 5],
    ['count>5.', 'count', undefined, '>', 5],
    ['avg\t<\t100', 'avg', undefined, '<', 100],
  ])('%j', (source, aggregation, percentile, operator, value) => {
    const expr = parseThresholdExpression(source);
    expect(expr).toEqual({ source, aggregation, operator, value, ...(percentile === undefined ? {} : { percentile }) });
  });

  it.each([
    ['', /no operator/],
    ['p(95)', /no operator/],
    ['avg 200', /no operator/],
    ['avg=200', /no operator/],
    ['<200', /no aggregation before the operator/],
    ['avg<', /no number after </],
    ['avg<abc', /"abc" is not a number/],
    ['avg<200ms', /"200ms" is not a number/],
    ['avg<1 2', /"1 2" is not a number/],
    ['mean<2', /unknown aggregation "mean"; use avg, min, max, med, count, rate, value or p\(N\)/],
    ['AVG<2', /unknown aggregation "AVG"; write avg/],
    ['p95<200', /percentiles are written p\(95\)/],
    ['P(95)<200', /percentiles are written p\(95\)/],
    ['p( 95 )<200', /percentiles are written p\(95\)/],
    ['p(101)<2', /percentile 101 is outside 0..100/],
    ['p(-1)<2', /percentile -1 is outside 0..100/],
    ['p()<2', /unknown aggregation "p\(\)"/],
    ['avg<<2', /"<2" is not a number/],
  ])('rejects %j', (source, why) => {
    let error: unknown;
    try {
      parseThresholdExpression(source);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_THRESHOLD', message: expect.stringMatching(why) });
    expect((error as Error).message.startsWith(`invalid threshold ${JSON.stringify(source)}: `)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('parseMetricSelector', () => {
  it.each([
    ['http_reqs', 'http_reqs', {}],
    [' http_reqs ', 'http_reqs', {}],
    ['http_req_duration{status:200}', 'http_req_duration', { status: '200' }],
    ['http_req_duration{status:200, method:"GET"}', 'http_req_duration', { status: '200', method: 'GET' }],
    ["checks{ 'check' : 'status is 200' }", 'checks', { check: 'status is 200' }],
    ['d{name:my page}', 'd', { name: 'my page' }],
    ['d{url:http://host:8080/x}', 'd', { url: 'http://host:8080/x' }],
    ['d{scenario:a,scenario:b}', 'd', { scenario: 'b' }],
    ['d{expected_response:true}', 'd', { expected_response: 'true' }],
  ])('%j', (key, name, filter) => {
    expect(parseMetricSelector(key)).toEqual({ name, filter });
  });

  it.each([
    ['', /no metric name/],
    ['{a:b}', /no metric name/],
    ['1abc', /"1abc" is not a metric name/],
    ['a b', /"a b" is not a metric name/],
    ['a{}', /empty tag filter/],
    ['a{ }', /empty tag filter/],
    ['a{b}', /"b" is not tag:value/],
    ['a{b:1,}', /"" is not tag:value/],
    ['a{:x}', /no tag name/],
    ['a{b:}', /no value for tag b/],
    ['a{b:1', /"\{" without a closing "\}"/],
    ['a}b:1{', /"\{" without a closing "\}"/],
    ['ab:1}', /"\}" without "\{"/],
    ['a{b:1}x', /text after the closing "\}"/],
  ])('rejects %j', (key, why) => {
    expect(() => parseMetricSelector(key)).toThrow(expect.objectContaining({ code: 'INVALID_THRESHOLD', message: expect.stringMatching(why) }));
  });
});
