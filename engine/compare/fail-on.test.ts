import { describe, expect, it } from 'vitest';
import { parseFailOn } from './fail-on.js';

describe('parseFailOn', () => {
  it('reads percentile gates in % and rate gates in pp, with tag filters', () => {
    expect(parseFailOn('http_req_duration p(95) > +10%')).toMatchObject({ metric: 'http_req_duration', filter: {}, percentile: 95, operator: '>', limit: 0.1 });
    expect(parseFailOn('http_req_duration{name:login} med>5%')).toMatchObject({ filter: { name: 'login' }, percentile: 50, limit: 0.05 });
    expect(parseFailOn('checks rate < -1pp')).toMatchObject({ metric: 'checks', percentile: undefined, operator: '<', limit: -0.01 });
    expect(parseFailOn('x p(99.9) > 2.5%')).toMatchObject({ percentile: 99.9, limit: 0.025 });
  });

  it('refuses what it cannot read, saying how to write it', () => {
    expect(() => parseFailOn('http_req_duration p95 > 10%')).toThrow(/write METRIC STAT > \+N%/);
    expect(() => parseFailOn('http_req_failed rate > +10%')).toThrow(/a rate by pp/);
    expect(() => parseFailOn('http_req_duration p(95) > +1pp')).toThrow(/a percentile changes by %/);
    expect(() => parseFailOn('http_req_duration p(100) > +1%')).toThrow(/between 0 and 100/);
  });
});
