import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HdrCounts } from './hdr-counts.js';
import { MemoryKeeper, SpillKeeper, type PointKeeper } from './point-keeper.js';
import type { SinkSnapshot } from './types.js';
import { seededRandom } from '../stats/random.js';

const parent = mkdtempSync(join(tmpdir(), 'loadts-keeper-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function trend(seed: number): Extract<SinkSnapshot, { type: 'trend' }> {
  const rnd = seededRandom(seed);
  const counts = new HdrCounts();
  for (let i = 0; i < 500; i++) counts.record(Math.round(rnd() * rnd() * 5_000_000));
  return { type: 'trend', count: 500, sum: 1234.5678 + seed, min: 0.001, max: 5000.25, hdr: counts.encode(true), negHdr: '' };
}

const points: SinkSnapshot[] = [
  { type: 'counter', sum: 3 },
  { type: 'counter', sum: 0.1 + 0.2 },
  { type: 'gauge', value: -2.5, min: -7, max: 1e300, lastAtMs: 1_800_000_000_123.25 },
  { type: 'rate', passes: 2 ** 53 - 1, fails: 0 },
  trend(1),
  { ...trend(2), negHdr: trend(3).hdr },
];

/** The PointKeeper family's conformance: every keeper gives back exactly what was put, flushed or not. */
describe.each([
  ['MemoryKeeper', () => new MemoryKeeper()],
  ['SpillKeeper', () => new SpillKeeper(parent)],
] as const)('%s', (_, make: () => PointKeeper) => {
  it('gives back exactly what was put, before and after a flush, in any order', () => {
    const keeper = make();
    try {
      const slots = points.map((p) => keeper.put(p));
      expect(slots.every((s) => s.bytes > 0)).toBe(true);
      expect(keeper.get(slots[4]!)).toEqual(points[4]); // not flushed yet
      keeper.flush();
      for (const i of [5, 0, 3, 1, 2, 4]) expect(keeper.get(slots[i]!)).toEqual(points[i]);
      const later = keeper.put(points[2]!);
      expect(keeper.get(later)).toEqual(points[2]);
      expect(keeper.get(slots[0]!)).toEqual(points[0]);
    } finally {
      keeper.close();
    }
  });

  it('keeps thousands of points through many flushes', () => {
    const keeper = make();
    try {
      const slots = Array.from({ length: 3000 }, (_, i) => {
        const slot = keeper.put({ type: 'counter', sum: i });
        if (i % 97 === 0) keeper.flush();
        return slot;
      });
      keeper.flush();
      expect(slots.map((s) => (keeper.get(s) as { sum: number }).sum)).toEqual(slots.map((_, i) => i));
    } finally {
      keeper.close();
    }
  });
});

describe('SpillKeeper', () => {
  it('leaves no file behind, even while open (the folder is removed as soon as the file is open)', () => {
    const dir = mkdtempSync(join(parent, 'empty-'));
    const keeper = new SpillKeeper(dir);
    keeper.put(points[4]!);
    keeper.flush();
    expect(readdirSync(dir)).toEqual([]);
    keeper.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('cannot be made where no file can be written: the caller falls back to memory', () => {
    const file = join(parent, 'a-file');
    writeFileSync(file, '');
    expect(() => new SpillKeeper(file)).toThrow(/ENOTDIR|ENOENT/);
  });

  it('compacts: copies the live points to a new file when merged ones outweigh them; slots stay valid', () => {
    const keeper = new SpillKeeper(parent, 0);
    try {
      const slots = Array.from({ length: 200 }, (_, i) => keeper.put(i % 2 ? trend(i) : { type: 'counter', sum: i }));
      keeper.flush();
      const live = slots.filter((_, i) => i % 10 === 3); // the rest were merged away
      const liveBytes = live.reduce((n, s) => n + s.bytes, 0);
      keeper.compact(live, keeper.fileBytes); // not worth it: nothing would be dropped
      expect(keeper.compactions).toBe(0);
      keeper.compact(live, liveBytes);
      expect(keeper.compactions).toBe(1);
      expect(keeper.fileBytes).toBe(liveBytes);
      live.forEach((s) => expect(keeper.get(s)).toEqual(trend([...slots].indexOf(s))));
      const later = keeper.put(points[3]!);
      expect(keeper.get(later)).toEqual(points[3]);
      expect(keeper.get(live[0]!)).toEqual(trend(3));
    } finally {
      keeper.close();
    }
  });

  it('counts a point\'s bytes as the file holds them', () => {
    const keeper = new SpillKeeper(parent);
    try {
      expect(keeper.put(points[0]!).bytes).toBe(Buffer.byteLength(`${JSON.stringify(points[0])}\n`));
    } finally {
      keeper.close();
    }
  });
});
