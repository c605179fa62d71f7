import { describe, expect, it } from 'vitest';
import {
  fillSequence,
  formatExecutionSegment,
  formatFraction,
  formatSequence,
  isSegmentOfSequence,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  parseFraction,
} from './segment.js';

const f = (text: string) => parseFraction(text, 'x');

describe('parseFraction (k6 stringToRat): exact, reduced', () => {
  it.each([
    ['0', 0, 1],
    ['1', 1, 1],
    ['1/3', 1, 3],
    ['2/4', 1, 2],
    [' 3 / 9 ', 1, 3],
    ['0.5', 1, 2],
    ['0.125', 1, 8],
    ['.25', 1, 4],
    ['1.', 1, 1],
    ['50%', 1, 2],
    ['12.5%', 1, 8],
    ['100%', 1, 1],
  ])('%j → %d/%d', (text, num, den) => expect(f(text)).toEqual({ num, den }));

  it.each([
    ['1/0', /divides by zero/],
    ['-1/2', /is not a fraction, decimal or percentage/],
    ['abc', /is not a fraction/],
    ['', /is not a fraction/],
    ['.', /is not a fraction/],
    ['1/2/3', /is not a fraction/],
    ['0.1234567890123456', /too many digits/],
  ])('rejects %j', (text, message) => expect(() => parseFraction(text, 'option executionSegment (script)')).toThrow(message));

  it('formats back', () => {
    expect(formatFraction(f('0.5'))).toBe('1/2');
    expect(formatFraction(f('100%'))).toBe('1');
    expect(formatFraction(f('0'))).toBe('0');
  });
});

describe('parseExecutionSegment (k6 NewExecutionSegmentFromString)', () => {
  it.each([
    ['', '0:1'],
    ['0:1', '0:1'],
    ['0:1/2', '0:1/2'],
    ['1/2:1', '1/2:1'],
    ['0.5:1', '1/2:1'],
    ['25%:50%', '1/4:1/2'],
    ['1/2', '0:1/2'], // a single value x means 0:x
    ['10%', '0:1/10'],
    ['0.2:2/3', '1/5:2/3'],
  ])('%j → %s', (text, canonical) => expect(formatExecutionSegment(parseExecutionSegment(text))).toBe(canonical));

  it.each([
    ['1/2:1/4', /"1\/2:1\/4" starts at 1\/2, which is not before its end 1\/4/],
    ['1/2:1/2', /not before its end/],
    ['0:3/2', /ends at 3\/2, after 1/],
    ['0', /starts at 0, which is not before its end 0/],
    ['0:1:2', /more than one ':'/],
    ['a:1', /"a" is not a fraction/],
  ])('rejects %j', (text, message) => {
    expect(() => parseExecutionSegment(text, 'option executionSegment (command line)')).toThrow(message);
    expect(() => parseExecutionSegment(text, 'option executionSegment (command line)')).toThrow(/^invalid option executionSegment \(command line\): /);
  });
});

describe('parseExecutionSegmentSequence (k6 NewExecutionSegmentSequenceFromString)', () => {
  it('parses points; "" is no sequence', () => {
    expect(formatSequence(parseExecutionSegmentSequence('0,1/3,2/3,1'))).toBe('0,1/3,2/3,1');
    expect(formatSequence(parseExecutionSegmentSequence('0, 0.5, 100%'))).toBe('0,1/2,1');
    expect(parseExecutionSegmentSequence('')).toEqual([]);
  });

  it('accepts a partial sequence and fills it to 0..1 as k6 does', () => {
    const points = parseExecutionSegmentSequence('1/3,2/3');
    expect(formatSequence(fillSequence(points))).toBe('0,1/3,2/3,1');
    expect(formatSequence(fillSequence(parseExecutionSegmentSequence('0,1/2')))).toBe('0,1/2,1');
  });

  it.each([
    ['1/2', /needs at least 2 points/],
    ['0,1/2,1/3,1', /must increase, but 1\/3 follows 1\/2/],
    ['0,1/2,1/2,1', /must increase/],
    ['0,1,2', /must increase|goes past 1/],
    ['0,x,1', /"x" is not a fraction/],
  ])('rejects %j', (text, message) => expect(() => parseExecutionSegmentSequence(text, 'option executionSegmentSequence (script)')).toThrow(message));

  it('a segment belongs to a sequence only as one of its consecutive segments (k6 Options.Validate)', () => {
    const seq = parseExecutionSegmentSequence('0,1/3,2/3,1');
    expect(isSegmentOfSequence(parseExecutionSegment('1/3:2/3'), seq)).toBe(true);
    expect(isSegmentOfSequence(parseExecutionSegment('0:1/3'), seq)).toBe(true);
    expect(isSegmentOfSequence(parseExecutionSegment('2/6:4/6'), seq)).toBe(true);
    expect(isSegmentOfSequence(parseExecutionSegment('0:2/3'), seq)).toBe(false);
    expect(isSegmentOfSequence(parseExecutionSegment('0:1/2'), seq)).toBe(false);
  });

  it('compares large fractions exactly', () => {
    const a = parseExecutionSegment('999999999999998/999999999999999:1');
    expect(formatFraction(a.from)).toBe('999999999999998/999999999999999');
    expect(() => parseExecutionSegment('999999999999999/999999999999998:1')).toThrow(/not before its end 1/);
  });
});
