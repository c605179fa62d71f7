import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';

/** What `write` puts in a ByteWriter, as text. */
function written(write: (w: ByteWriter) => void, chunkBytes = 64): string {
  const chunks: Buffer[] = [];
  const w = new ByteWriter(chunkBytes, (c) => chunks.push(Buffer.from(c)));
  write(w);
  w.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('ByteWriter', () => {
  it('numbers as JavaScript and Go encoding/json write them', () => {
    const values = [0, -0, 1, -3, 7, 10, 1234567, 2 ** 53 + 2, 0.1, 23.901074399999988, -0.5, 1e-7, 1.5e-300, 1e21, 1e100, 123456789.125];
    for (const v of values) expect(written((w) => w.number(v)), String(v)).toBe(String(v));
  });

  it('times in ms to the nanosecond, as k6 writes its Go durations', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [3, '3'],
      [23.901074399999988, '23.901074'],
      [0.0125, '0.0125'],
      [1e-7, '0'],
      [0.0000006, '0.000001'],
      [459.865729, '459.865729'],
      [-2.5, '-2.5'],
      [86_400_000.000001, '86400000.000001'],
      [1e20, '100000000000000000000'],
    ];
    for (const [v, s] of cases) expect(written((w) => w.millis(v)), String(v)).toBe(s);
  });

  it("six decimals, as Go's %f", () => {
    const cases: Array<[number, string]> = [
      [1, '1.000000'],
      [0, '0.000000'],
      [23.901074399999988, '23.901074'],
      [1234567, '1234567.000000'],
      [-0.25, '-0.250000'],
      [0.0000004, '0.000000'],
      [1e20, (1e20).toFixed(6)],
    ];
    for (const [v, s] of cases) expect(written((w) => w.fixed6(v)), String(v)).toBe(s);
  });

  it('hands on full chunks; text longer than a chunk goes whole', () => {
    const chunks: number[] = [];
    const w = new ByteWriter(8, (c) => chunks.push(c.length));
    w.ascii('12345');
    w.ascii('678');
    w.text('€uro'); // 6 bytes: does not fit, the 8 bytes before go first
    w.bytes(Buffer.from('a much longer piece'));
    w.flush();
    expect(chunks).toEqual([8, 6, 19]);
    expect(written((x) => x.text('größer als acht'), 8)).toBe('größer als acht');
  });

  it('fraction digits without trailing zeros', () => {
    expect([625742, 500000, 250, 1, 100].map((n) => written((w) => w.fractionDigits(n, 6)))).toEqual(['625742', '5', '00025', '000001', '0001']);
  });
});
