import { describe, expect, it } from 'vitest';
import { parseTrendStat } from './trend-stat.js';

describe('parseTrendStat', () => {
  it.each([
    ['avg', { kind: 'avg' }],
    ['min', { kind: 'min' }],
    ['med', { kind: 'med' }],
    ['max', { kind: 'max' }],
    ['count', { kind: 'count' }],
    ['sum', { kind: 'sum' }],
    ['p(0)', { kind: 'p', percentile: 0 }],
    ['p(90)', { kind: 'p', percentile: 90 }],
    ['p(99.99)', { kind: 'p', percentile: 99.99 }],
    ['p(100)', { kind: 'p', percentile: 100 }],
    ['p(.5)', { kind: 'p', percentile: 0.5 }],
  ])('%s', (stat, want) => {
    expect(parseTrendStat(stat)).toEqual(want);
  });

  it.each(['', 'mean', 'AVG', 'p95', 'p(101)', 'p(-1)', 'p()', 'p(abc)', 'p( 95 )', 'p(95', ' avg'])('rejects %j', (stat) => {
    expect(() => parseTrendStat(stat)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^invalid trend stat/) }));
  });
});
