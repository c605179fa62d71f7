import { describe, expect, it } from 'vitest';
import { SeriesPoints } from './series-points.js';

const c = (sum: number) => [{ type: 'counter' as const, sum }];
const sums = (s: SeriesPoints) => {
  const snap = s.snapshot();
  return snap.index.map((i, n) => [i, (snap.data[n] as { sum: number }).sum]);
};

describe('SeriesPoints: coalescing a little at a time', () => {
  it('merges pending points a quota per step, keeps points closed meanwhile after them, and reads merged at any time', () => {
    const s = new SeriesPoints('reqs', '', {});
    for (let i = 0; i < 8; i++) s.append(i, c(i + 1));
    s.append(7, c(100)); // same interval: merged into the last point
    expect(s.length).toBe(8);
    s.coarsen(1, 4); // 8 points in 4 steps: 2 read per step
    s.append(4, c(1000)); // closed after the doubling, in the new unit
    s.step();
    expect(s.length).toBe(1 + 6 + 1);
    s.step();
    expect(s.length).toBe(2 + 4 + 1);
    s.append(4, c(1000));
    s.append(5, c(7));
    s.step();
    s.step();
    expect(s.length).toBe(4 + 2);
    expect(sums(s)).toEqual([
      [0, 3],
      [1, 7],
      [2, 11],
      [3, 115],
      [4, 2000],
      [5, 7],
    ]);
  });

  it('a snapshot in the middle of a coalescing finishes it; gaps in a series merge by index, not by position', () => {
    const s = new SeriesPoints('sparse', '', {});
    for (const i of [0, 3, 4, 9, 10, 11]) s.append(i, c(i));
    s.coarsen(2, 100); // groups of 4 intervals
    s.step();
    expect(sums(s)).toEqual([
      [0, 3],
      [1, 4],
      [2, 30],
    ]);
    s.append(3, c(1));
    expect(sums(s)).toEqual([
      [0, 3],
      [1, 4],
      [2, 30],
      [3, 1],
    ]);
  });
});
