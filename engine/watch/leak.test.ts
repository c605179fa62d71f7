import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/random.js';
import { judgeLeak } from './leak.js';

const MiB = 1024 * 1024;
/** Samples once a second for `seconds`: a base RSS, a growth per minute, and a GC-like sawtooth with noise. */
function samples(seconds: number, growthPerMin: number, seed: number) {
  const r = seededRandom(seed);
  return Array.from({ length: seconds }, (_, i) => ({ atMs: i * 1000, rssBytes: 80 * MiB + (growthPerMin * i) / 60 + (i % 7) * 2 * MiB + r() * MiB }));
}

describe('judgeLeak', () => {
  it('flags a steady growth, with an interval that excludes zero', () => {
    const j = judgeLeak(samples(30, 60 * MiB, 1));
    expect(j.verdict).toBe('leak');
    expect(j.slopeBytesPerMin! / MiB).toBeGreaterThan(40);
    expect(j.interval![0]).toBeGreaterThan(0);
    expect(j.text).toMatch(/LEAK: RSS grows/);
  });

  it('does not flag a flat, noisy sawtooth', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(judgeLeak(samples(30, 0, seed)).verdict).toBe('no-leak');
  });

  it('does not flag a growth too small to matter, and says when there are too few samples', () => {
    const tiny = Array.from({ length: 60 }, (_, i) => ({ atMs: i * 1000, rssBytes: 80 * MiB + i * 1000 }));
    expect(judgeLeak(tiny).verdict).toBe('no-leak');
    expect(judgeLeak(samples(4, 60 * MiB, 1)).verdict).toBe('unknown');
  });
});
