import { describe, expect, it } from 'vitest';
import { decodeFromCompressedBase64, type JsHistogram } from 'hdr-histogram-js';
import { HdrSum } from './hdr-sum.js';
import { HdrCounts } from './hdr-counts.js';
import { decodeHistogram, encodeCounts, encodeHistogram, hdrHighestValue, hdrIndex, hdrLowestValue, newHistogram } from './hdr.js';
import { seededRandom } from '../stats/random.js';

const edges = [0, 1, 2, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 4097, 1_000_000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 52 + 3];

describe('HDR slot math', () => {
  const reference = newHistogram(64, 2 ** 53);
  const rnd = seededRandom(1);
  const values = [...edges, ...Array.from({ length: 20_000 }, () => Math.floor(2 ** (rnd() * 45)))];

  it('hdrIndex is the slot hdr-histogram-js uses', () => {
    expect(values.filter((v) => hdrIndex(v) !== reference.countsArrayIndex(v))).toEqual([]);
  });

  it('slot bounds are HDR equivalent values', () => {
    const wrong = values.filter((v) => {
      const i = hdrIndex(v);
      return hdrLowestValue(i) !== reference.lowestEquivalentValue(v) || hdrHighestValue(i) !== reference.highestEquivalentValue(v);
    });
    expect(wrong).toEqual([]);
  });
});

describe('encodeCounts', () => {
  it('decodes to the same histogram as recording the values in hdr-histogram-js', () => {
    const rnd = seededRandom(7);
    const counts = new HdrCounts();
    const h = newHistogram(32);
    for (let i = 0; i < 50_000; i++) {
      const v = i % 97 === 0 ? 0 : Math.round(rnd() * rnd() * 3_000_000) + (i % 1000 === 1 ? 2 ** 33 : 0);
      counts.record(v);
      h.recordValue(v);
    }
    const mine = decodeHistogram(counts.encode())!;
    const theirs = decodeHistogram(encodeHistogram(h))!;
    expect(mine.totalCount).toBe(50_000);
    expect(mine.maxValue).toBe(theirs.maxValue);
    expect(mine.minNonZeroValue).toBe(theirs.minNonZeroValue);
    for (let i = 0; i < Math.max(mine.countsArrayLength, theirs.countsArrayLength); i++) {
      if (mine.getCountAtIndex(i) !== theirs.getCountAtIndex(i)) expect.fail(`slot ${i}: ${mine.getCountAtIndex(i)} != ${theirs.getCountAtIndex(i)}`);
    }
  });

  it('workers\' reports are uncompressed V2, and add exactly as the compressed encoding does', () => {
    const rnd = seededRandom(11);
    const counts = new HdrCounts();
    for (let i = 0; i < 20_000; i++) counts.record(Math.round(rnd() * rnd() * 900_000));
    const raw = counts.encode();
    const packed = counts.encode(true);
    expect(Buffer.from(raw, 'base64').readInt32BE(0)).toBe(0x1c849313);
    expect(Buffer.from(packed, 'base64').readInt32BE(0)).toBe(0x1c849314);
    const a = new HdrSum();
    a.addEncoded(raw);
    const b = new HdrSum();
    b.addEncoded(packed);
    expect(a.total).toBe(20_000);
    expect(a.encode()).toBe(b.encode());
    const mine = decodeHistogram(raw)!;
    const theirs = decodeFromCompressedBase64(packed, 64, false) as JsHistogram;
    expect([mine.totalCount, mine.minNonZeroValue, mine.maxValue]).toEqual([theirs.totalCount, theirs.minNonZeroValue, theirs.maxValue]);
    for (let i = 0; i < theirs.countsArrayLength; i++) if (mine.getCountAtIndex(i) !== theirs.getCountAtIndex(i)) expect.fail(`slot ${i}`);
  });

  it('handles a single value, leading zeros and empty counts', () => {
    expect(encodeCounts(new Uint32Array(4), 0, -1)).toBe('');
    const c = new HdrCounts();
    expect(c.encode()).toBe('');
    c.record(5000);
    const h = decodeHistogram(c.encode())!;
    expect(h.totalCount).toBe(1);
    expect(h.getValueAtPercentile(50)).toBe(hdrHighestValue(hdrIndex(5000)));
  });

  it('reset clears only what was recorded and keeps working', () => {
    const c = new HdrCounts();
    for (let v = 0; v < 100_000; v += 7) c.record(v);
    c.reset();
    expect(c.total).toBe(0);
    expect(c.encode()).toBe('');
    c.record(3);
    c.record(3);
    const h = decodeHistogram(c.encode())!;
    expect(h.totalCount).toBe(2);
    expect(h.maxValue).toBe(3);
  });
});
