import { deflateSync } from 'node:zlib';

/**
 * Every loadts histogram has the same layout: integer values ≥ 0 (see TREND_SCALE), 3 significant
 * digits, lowest discernible value 1. So bucket indexes mean the same value ranges everywhere, and
 * histograms from any thread, process or machine add exactly.
 *
 * This file is what worker threads need (slot math and the V2 encoding, straight from counts);
 * hdr.ts adds hdr-histogram-js for the coordinator, which decodes and merges.
 *
 * HDR layout for 3 digits: values below 2048 have their own slot; above, bucket b ≥ 1 holds
 * [1024·2^b, 2048·2^b) in 1024 slots of width 2^b, so a slot is never wider than 1/1024 of its value.
 */
export const SIGNIFICANT_DIGITS = 3;
export const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
const TWO_POW_32 = 2 ** 32;

/** The HDR counts-array slot of integer `value` ≥ 0 (the same slot hdr-histogram-js uses), without Math.log2 below 2^32. */
export function hdrIndex(value: number): number {
  if (value < 2 * HALF_COUNT) return value;
  if (value < TWO_POW_32) {
    const bucket = 31 - Math.clz32(value) - HALF_MAGNITUDE;
    return ((bucket + 1) << HALF_MAGNITUDE) + (value >>> bucket) - HALF_COUNT;
  }
  const bucket = Math.floor(Math.log2(value)) - HALF_MAGNITUDE;
  return (bucket + 1) * HALF_COUNT + Math.floor(value / 2 ** bucket) - HALF_COUNT;
}

/** The lowest value that falls in slot `index` (inverse of hdrIndex). */
export function hdrLowestValue(index: number): number {
  if (index < 2 * HALF_COUNT) return index;
  const bucket = Math.floor(index / HALF_COUNT) - 1;
  return ((index % HALF_COUNT) + HALF_COUNT) * 2 ** bucket;
}

/** The highest value that falls in slot `index`. */
export function hdrHighestValue(index: number): number {
  if (index < 2 * HALF_COUNT) return index;
  const bucket = Math.floor(index / HALF_COUNT) - 1;
  return hdrLowestValue(index) + 2 ** bucket - 1;
}

/** HdrHistogram V2 cookies: the word-size nibble 0x10 marks the LEB128/ZigZag ("TLZE") encoding. */
const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
let scratch = new Uint8Array(4096);

/**
 * Encodes counts in HDR layout (slot i counts the values with hdrIndex(value) = i; all zero outside
 * [lowIndex, highIndex]) exactly as encodeHistogram would encode a histogram holding those values,
 * but straight from the array: ZigZag LEB128 counts with runs of zeros, zlib, base64.
 *
 * `compressed: false` leaves out the zlib step: HdrHistogram's uncompressed V2 encoding, in base64.
 * Workers send their reports so (see HdrCounts): with a zlib stream per trend per second on every
 * worker thread the process's RSS crept by ~1 MiB a minute on a soak, native memory that V8's heap
 * does not show (docs/performance.md). Everything kept or written is compressed.
 */
export function encodeCounts(counts: ArrayLike<number>, lowIndex: number, highIndex: number, compressed = true): string {
  if (highIndex < 0) return '';
  const maxBytes = HEADER_BYTES + 9 * (highIndex - lowIndex + 2);
  if (scratch.length < maxBytes) scratch = new Uint8Array(Math.max(maxBytes, scratch.length * 2));
  const buf = scratch;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setInt32(0, V2_COOKIE);
  // payload length at 4, written below
  view.setInt32(8, 0); // normalizingIndexOffset
  view.setInt32(12, SIGNIFICANT_DIGITS);
  view.setBigInt64(16, 1n); // lowestDiscernibleValue
  view.setBigInt64(24, BigInt(Math.max(2, hdrHighestValue(highIndex)))); // highestTrackableValue
  view.setFloat64(32, 1); // integerToDoubleValueConversionRatio
  let at = HEADER_BYTES;
  let zeros = lowIndex;
  for (let i = lowIndex; i <= highIndex; i++) {
    const n = counts[i]!;
    if (n === 0) {
      zeros++;
      continue;
    }
    if (zeros > 0) {
      at = zeros === 1 ? putZigZag(buf, at, 0) : putZigZag(buf, at, -zeros);
      zeros = 0;
    }
    at = putZigZag(buf, at, n);
  }
  view.setInt32(4, at - HEADER_BYTES);
  if (!compressed) return Buffer.from(buf.buffer, buf.byteOffset, at).toString('base64');
  const deflated = deflateSync(buf.subarray(0, at));
  const out = Buffer.allocUnsafe(8 + deflated.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(deflated.length, 4);
  deflated.copy(out, 8);
  return out.toString('base64');
}

/** Writes `value` ZigZag LEB128-encoded at `at`; returns the next position. */
function putZigZag(buf: Uint8Array, at: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 0x80) {
    buf[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[at++] = v;
  return at;
}
