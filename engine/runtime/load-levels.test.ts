import { describe, expect, it } from 'vitest';
import type { TargetRecord } from '../watch/types.js';
import { levelRss, type LevelContext } from './load-levels.js';

/** A watch's samples at these times (ms) with these RSS values. */
function ctx(atMs: number[], rssBytes: number[]): LevelContext {
  const target: TargetRecord = {
    pid: 1,
    samples: { atMs, rssBytes, cpuPercent: atMs.map(() => 0), fds: atMs.map(() => null), threads: atMs.map(() => null) },
    leak: { verdict: 'unknown', samples: 0, text: '' },
  };
  return { target } as LevelContext;
}

describe("a level's target RSS from the watch's samples", () => {
  const c = ctx([1000, 2000, 3000, 4000], [10, 30, 20, 40]);

  it('is the largest sample in the level', () => {
    expect(levelRss(c, 1500, 3500)).toBe(30);
  });

  it('is the sample in effect when the level is shorter than the watch second: the last before it', () => {
    expect(levelRss(c, 2100, 2600)).toBe(30);
  });

  it('is the first sample after the start when none came before', () => {
    expect(levelRss(c, 0, 500)).toBe(10);
  });
});
