import { describe, expect, it } from 'vitest';
import { CPU_TIMELINE_MAX_POINTS, currentTid, GeneratorMonitor } from './generator-monitor.js';

describe('GeneratorMonitor timeline', () => {
  it("keeps each worker's CPU share per sample, bounded: past the cap adjacent samples are averaged", () => {
    const monitor = new GeneratorMonitor(() => {});
    const tid = currentTid();
    for (let i = 0; i < CPU_TIMELINE_MAX_POINTS + 1; i++) monitor.sample(1, () => ({ tid, loop: undefined }));
    const { atMs, shares } = monitor.timeline();
    expect(atMs.length).toBe(Math.ceil((CPU_TIMELINE_MAX_POINTS + 1) / 2));
    expect(shares.length).toBe(atMs.length);
    expect(atMs.every((t, i) => i === 0 || t >= atMs[i - 1]!)).toBe(true);
    expect(shares.every((s) => s.length === 1 && s[0]! >= 0 && s[0]! <= 1)).toBe(true);
    expect(monitor.record(0).generator.timeline?.atMs).toEqual(atMs);
  });
});
