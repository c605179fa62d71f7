import { describe, expect, it } from 'vitest';
import { SegmentChain, SegmentPartition, parseFraction, parseSegment, parseSequence } from './segment.js';

describe('parseFraction / parseSegment / parseSequence', () => {
  it('reads k6 syntaxes', () => {
    expect(parseFraction('2/4', 'x')).toEqual({ num: 1, den: 2 });
    expect(parseFraction('0.25', 'x')).toEqual({ num: 1, den: 4 });
    expect(parseFraction('50%', 'x')).toEqual({ num: 1, den: 2 });
    expect(parseSegment('1/3:2/3')).toEqual({ from: { num: 1, den: 3 }, to: { num: 2, den: 3 } });
    expect(parseSegment('1/2')).toEqual({ from: { num: 0, den: 1 }, to: { num: 1, den: 2 } });
    expect(parseSequence('0,1/3,1').length).toBe(3);
  });
  it('rejects nonsense with the flag name', () => {
    expect(() => parseSegment('2/3:1/3')).toThrow(/--execution-segment.*from < to/);
    expect(() => parseSegment('a:b')).toThrow(/not a fraction/);
    expect(() => parseSequence('0,1/2')).toThrow(/from 0 to 1/);
    expect(() => parseSequence('0,2/3,1/3,1')).toThrow(/increasing/);
    expect(() => new SegmentPartition(parseSegment('0:1/4'), parseSequence('0,1/2,1'))).toThrow(/not a segment/);
  });
});

describe('SegmentPartition', () => {
  const sequences = ['0,1', '0,1/2,1', '0,1/3,2/3,1', '0,1/4,1/3,1', '0,0.1,0.35,0.5,1'];
  for (const text of sequences) {
    it(`partitions indices exactly over ${text}`, () => {
      const seq = parseSequence(text);
      const parts = seq.slice(1).map((to, i) => new SegmentPartition({ from: seq[i]!, to }, seq));
      for (const n of [0, 1, 7, 100, 777, 1001]) {
        const counts = parts.map((p) => p.count(n));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      }
      // every index has exactly one owner, and globalIndex enumerates owned indices in order
      for (let i = 0; i < 300; i++) expect(parts.filter((p) => p.owns(i)).length).toBe(1);
      for (const p of parts) {
        let local = 0;
        for (let i = 0; i < 300; i++) if (p.owns(i)) expect(p.globalIndex(local++)).toBe(i);
        expect(p.count(300)).toBe(local);
      }
    });
  }
});

describe('SegmentChain', () => {
  it('777 iterations over 2 processes × 3 workers sum to 777, each index once', () => {
    const seq = '0,1/2,1';
    const chains = ['0:1/2', '1/2:1'].flatMap((seg) => [0, 1, 2].map((w) => SegmentChain.forWorker(seg, seq, w, 3)));
    expect(chains.map((c) => c.count(777)).reduce((a, b) => a + b, 0)).toBe(777);
    const seen = new Set<number>();
    for (const c of chains) for (let l = 0; l < c.count(777); l++) seen.add(c.globalIndex(l));
    expect(seen.size).toBe(777);
    expect(Math.max(...seen)).toBe(776);
  });
  it('splits VUs as evenly as the blocks allow', () => {
    const chains = [0, 1].map((w) => SegmentChain.forWorker('0:1', '', w, 2));
    expect(chains.map((c) => c.count(5))).toEqual([3, 2]);
    expect(SegmentChain.WHOLE.count(5)).toBe(5);
  });
});
