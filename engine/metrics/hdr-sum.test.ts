import { describe, expect, it } from 'vitest';
import { HdrCounts } from './hdr-counts.js';
import { HdrSum } from './hdr-sum.js';
import { decodeHistogram, encodeHistogram, newHistogram } from './hdr.js';
import { seededRandom } from '../stats/random.js';

/** hdr-histogram-js's reading of an encoding, slot by slot. */
function slots(encoded: string): Map<number, number> {
  const h = decodeHistogram(encoded)!;
  const out = new Map<number, number>();
  for (let i = 0; i < h.countsArrayLength; i++) if (h.getCountAtIndex(i) !== 0) out.set(i, h.getCountAtIndex(i));
  return out;
}

describe('HdrSum: HDR histograms added as counts arrays', () => {
  const rnd = seededRandom(3);
  const values = (n: number) => Array.from({ length: n }, (_, i) => (i % 53 === 0 ? 0 : Math.round(10 ** (rnd() * 7)) + (i % 997 === 1 ? 2 ** 35 : 0)));

  it('adds encodings of hdr-histogram-js and of the workers, and encodes what hdr-histogram-js decodes to their sum', () => {
    const reference = newHistogram(64);
    const sum = new HdrSum();
    for (let part = 0; part < 6; part++) {
      const vs = values(5000);
      let encoded: string;
      if (part % 2 === 0) {
        const h = newHistogram(32);
        for (const v of vs) h.recordValue(v);
        encoded = encodeHistogram(h);
      } else {
        const c = new HdrCounts();
        for (const v of vs) c.record(v);
        encoded = c.encode();
      }
      for (const v of vs) reference.recordValue(v);
      sum.addEncoded(encoded);
    }
    expect(sum.total).toBe(30_000);
    expect(slots(sum.encode())).toEqual(slots(encodeHistogram(reference)));
  });

  it('keeps counts past 2^32 in one slot exact (64-bit counts over a long run)', () => {
    const big = newHistogram(64);
    big.recordValueWithCount(1500, 2 ** 33 + 5);
    big.recordValueWithCount(7, 3);
    const sum = new HdrSum();
    sum.addEncoded(encodeHistogram(big));
    sum.addEncoded(encodeHistogram(big));
    const back = decodeHistogram(sum.encode())!;
    expect(back.getCountAtIndex(1500)).toBe(2 * (2 ** 33 + 5));
    expect(back.totalCount).toBe(2 * (2 ** 33 + 8));
  });

  it('empty in, empty out; anything but an HDR histogram of the loadts layout is refused', () => {
    const sum = new HdrSum();
    sum.addEncoded('');
    expect(sum.encode()).toBe('');
    expect(() => sum.addEncoded('aGVsbG8gd29ybGQ=')).toThrow(/invalid HDR histogram: not an HdrHistogram V2$/);
    const twoDigits = newHistogram(32);
    (twoDigits as unknown as { numberOfSignificantValueDigits: number }).numberOfSignificantValueDigits = 2;
    twoDigits.recordValue(5);
    expect(() => sum.addEncoded(encodeHistogram(twoDigits))).toThrow(/not the loadts layout/);
  });
});
