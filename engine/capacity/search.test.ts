import { describe, expect, it } from 'vitest';
import { findKnee } from './knee.js';
import { CapacitySearch, type SearchSettings } from './search.js';

const settings: SearchSettings = { start: 10, growth: 2, precision: 0.05, max: 100_000, maxLevels: 30, integer: false };

/** Runs a search against a system that passes every load up to `capacity`. */
function search(capacity: number, s: Partial<SearchSettings> = {}, generatorLimit = Infinity) {
  const cs = new CapacitySearch({ ...settings, ...s });
  const offered: number[] = [];
  for (let load = cs.next(); load !== undefined; load = cs.next()) {
    offered.push(load);
    cs.record(load > generatorLimit ? 'generator-bound' : load <= capacity ? 'pass' : 'fail');
  }
  return { ...cs.result(), offered };
}

describe('CapacitySearch', () => {
  it('grows geometrically until a level fails, then bisects to the precision', () => {
    const r = search(200);
    expect(r.offered.slice(0, 6)).toEqual([10, 20, 40, 80, 160, 320]);
    expect(r.end).toBe('found');
    expect(r.maxPassing!).toBeLessThanOrEqual(200);
    expect(r.minFailing! - r.maxPassing!).toBeLessThanOrEqual(0.05 * r.maxPassing!);
    expect(r.maxPassing!).toBeGreaterThan(190);
  });

  it('shrinks when the first level fails, and says when nothing passed', () => {
    const r = search(3, { start: 50 });
    expect(r.offered.slice(0, 4)).toEqual([50, 25, 12.5, 6.3]);
    expect(r.end).toBe('found');
    expect(r.maxPassing!).toBeLessThanOrEqual(3);
    expect(search(0.01).end).toBe('none-passed');
  });

  it('stops at the generator: the capacity is only a lower bound', () => {
    const r = search(10_000, {}, 1000);
    expect(r.end).toBe('generator-bound');
    expect(r.maxPassing).toBe(640);
    expect(r.minFailing).toBeUndefined();
  });

  it('steps whole VUs in the closed model', () => {
    const r = search(13, { start: 1, integer: true });
    expect(r.offered.every(Number.isInteger)).toBe(true);
    expect(r).toMatchObject({ end: 'found', maxPassing: 13, minFailing: 14 });
  });

  it('respects max and the level budget', () => {
    expect(search(1e9, { max: 100 })).toMatchObject({ end: 'max-reached', maxPassing: 100 });
    expect(search(200, { maxLevels: 3 })).toMatchObject({ end: 'max-levels', maxPassing: 40 });
  });
});

describe('findKnee', () => {
  it('finds the last load before latency climbs (a hockey stick)', () => {
    const pts = [10, 20, 40, 80, 160, 180, 190, 200, 220, 320].map((load) => ({ load, latencyMs: load <= 190 ? 20 + load / 100 : 20 + (load - 190) * 5 }));
    expect(findKnee(pts)?.load).toBe(190);
  });

  it('finds the bend of a smooth M/M/1 curve, not its end', () => {
    const pts = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95].map((load) => ({ load, latencyMs: 1000 / (100 - load) }));
    const knee = findKnee(pts)!;
    expect(knee.load).toBeGreaterThanOrEqual(70);
    expect(knee.load).toBeLessThan(95);
  });

  it('has no knee on a flat curve or with too few points', () => {
    expect(findKnee([10, 20, 40, 80].map((load) => ({ load, latencyMs: 20 + Math.sin(load) })))).toBeUndefined();
    expect(findKnee([{ load: 1, latencyMs: 1 }, { load: 2, latencyMs: 100 }])).toBeUndefined();
  });
});
