import { describe, expect, it } from 'vitest';
import { LoadtsError } from '../errors.js';
import { formatDuration, isBareNumberDuration, parseDuration } from './duration.js';

describe('parseDuration (k6 ParseExtendedDuration)', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h2m3.5s', 3_723_500],
    ['1.5s', 1500],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['100μs', 0.1],
    ['2500ns', 0.0025],
    ['2d', 172_800_000],
    ['1d12h', 129_600_000],
    ['0', 0],
    ['0s', 0],
    ['+5s', 5000],
    [' 30s ', 30_000],
    ['30s1m', 90_000], // any order, as Go
    // A plain number is milliseconds, in strings as in k6's options and env vars...
    ['250', 250],
    ['1.5', 1.5],
    // ...and as numbers, as in a k6 script's options.
    [250, 250],
    [0, 0],
    [0.5, 0.5],
  ] as Array<[string | number, number]>)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input, 'x')).toBeCloseTo(ms, 9);
  });

  it.each([
    ['', /"" \(use e\.g\. 30s, 1m30s, 500ms\)/],
    ['-5s', /"-5s" is negative/],
    ['-5', /"-5" is negative/],
    [-1, /-1 is negative/],
    [Number.NaN, /NaN is not a finite number/],
    [Number.POSITIVE_INFINITY, /Infinity is not a finite number/],
    ['10 parsecs', /"10 parsecs" has an unknown unit " parsecs"/],
    ['5x', /"5x" has an unknown unit "x"/],
    ['1h30', /"1h30" is missing a unit/],
    ['1.5d', /days that are not whole or not first/],
    ['1h2d', /days that are not whole or not first/],
    ['abc', /"abc" \(use e\.g\./],
    ['5S', /unknown unit "S"/],
    [true, /true is not a string or a number/],
    [{ s: 1 }, /\{"s":1\} is not a string or a number/],
    [null, /null is not a string or a number/],
  ] as Array<[unknown, RegExp]>)('rejects %j', (input, message) => {
    let error: unknown;
    try {
      parseDuration(input, 'duration (script)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoadtsError);
    expect((error as LoadtsError).code).toBe('INVALID_DURATION');
    expect((error as LoadtsError).exitCode).toBe(104);
    expect((error as Error).message).toMatch(/^invalid duration for duration \(script\): /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/\(use e\.g\. 30s, 1m30s, 500ms\)$/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('recognises plain-number strings', () => {
    expect(isBareNumberDuration('30')).toBe(true);
    expect(isBareNumberDuration(' 1.5 ')).toBe(true);
    expect(isBareNumberDuration('30s')).toBe(false);
  });
});

describe('formatDuration (Go time.Duration.String, as k6 prints)', () => {
  it.each([
    [0, '0s'],
    [0.1, '100µs'],
    [1.5, '1.5ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [120_000, '2m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_500, '1h2m3.5s'],
    [172_800_000, '48h0m0s'],
    [-1500, '-1.5s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('round-trips through parseDuration', () => {
    for (const ms of [0, 0.25, 7, 999, 1000, 61_234, 3_599_999, 86_400_000]) {
      expect(parseDuration(formatDuration(ms), 'x')).toBeCloseTo(ms, 6);
    }
  });
});
