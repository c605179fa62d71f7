import { inflateSync } from 'node:zlib';
import { LoadtsError } from '../errors.js';
import { encodeCounts, SIGNIFICANT_DIGITS } from './hdr-layout.js';

/** HdrHistogram cookies without their word-size nibble (bits 4-7). */
const V2_ENCODING_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const WORD_SIZE_BITS = 0xf0;
const HEADER_BYTES = 40;

/**
 * A sum of HDR histograms as a bare counts array in the loadts layout (see hdr-layout.ts), 64-bit
 * float counts (exact to 2^53): what the time series adds and re-encodes every second, and when it
 * coalesces intervals. hdr-histogram-js takes 0.3-0.5 ms to decode one compressed histogram into
 * a new JsHistogram and as long again to encode one; adding the encoded counts straight into this
 * array and encoding with encodeCounts is several times faster (docs/performance.md), and the
 * output is the same standard encoding, which hdr-histogram-js reads (hdr-sum.test.ts checks both
 * directions against it).
 */
export class HdrSum {
  #counts = new Float64Array(0);
  #low = Number.MAX_SAFE_INTEGER;
  #high = -1;
  /** Values counted. */
  total = 0;

  #addAt(index: number, n: number): void {
    if (index >= this.#counts.length) {
      const counts = new Float64Array(Math.max(2048, Math.ceil(((index + 1) * 1.25) / 1024) * 1024));
      counts.set(this.#counts);
      this.#counts = counts;
    }
    this.#counts[index]! += n;
    if (index < this.#low) this.#low = index;
    if (index > this.#high) this.#high = index;
    this.total += n;
  }

  /**
   * Adds a base64 HdrHistogram V2 of the loadts layout, compressed (encodeHistogram's or
   * encodeCounts' output) or not (a worker's report); '' adds nothing.
   * @throws LoadtsError('RECORD') for anything else
   */
  addEncoded(encoded: string): void {
    forEachSlot(encoded, (index, n) => this.#addAt(index, n));
  }

  /** Forgets every count, keeping the array (only the touched range is cleared). */
  reset(): void {
    if (this.#high >= 0) this.#counts.fill(0, this.#low, this.#high + 1);
    this.#low = Number.MAX_SAFE_INTEGER;
    this.#high = -1;
    this.total = 0;
  }

  /** The sum as compressed base64 HdrHistogram V2 (see encodeCounts); '' when empty. */
  encode(): string {
    return this.total === 0 ? '' : encodeCounts(this.#counts, this.#low, this.#high);
  }
}

/**
 * Calls `fn(index, count)` for each non-empty slot of a base64 HdrHistogram V2 of the loadts layout
 * (see hdr-layout.ts), compressed or not, in slot order; '' has none.
 * @throws LoadtsError('RECORD') for anything else
 */
export function forEachSlot(encoded: string, fn: (index: number, count: number) => void): void {
  if (encoded === '') return;
  const p = payload(Buffer.from(encoded, 'base64'));
  // (the normalizing index offset at 8 is unused by every writer; hdr-histogram-js writes 1 there)
  if (p.readInt32BE(12) !== SIGNIFICANT_DIGITS || p.readBigInt64BE(16) !== 1n) throw notHdr('not the loadts layout (3 digits, lowest value 1)');
  const end = Math.min(p.length, HEADER_BYTES + p.readInt32BE(4));
  let at = HEADER_BYTES;
  let index = 0;
  while (at < end) {
    // ZigZag LEB128, as HdrHistogram writes it: a negative number is a run of empty slots
    let b = p[at++]!;
    let u = b & 0x7f;
    for (let scale = 0x80; b & 0x80 && scale <= 2 ** 56; scale *= 0x80) {
      b = p[at++]!;
      u += (b & 0x7f) * scale;
    }
    const v = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    if (v < 0) index -= v;
    else {
      if (v > 0) fn(index, v);
      index++;
    }
  }
}

/** Whether a base64 HdrHistogram is the uncompressed V2 encoding (a worker's report). */
export function isUncompressedHdr(encoded: string): boolean {
  const head = Buffer.from(encoded.slice(0, 8), 'base64');
  return head.length >= 4 && (head.readInt32BE(0) & ~WORD_SIZE_BITS) === V2_ENCODING_COOKIE_BASE;
}

/** The uncompressed V2 encoding (header and counts) in `bytes`, inflated when they are compressed. */
function payload(bytes: Buffer): Buffer {
  const cookie = bytes.length >= 8 ? bytes.readInt32BE(0) & ~WORD_SIZE_BITS : 0;
  let p = bytes;
  if (cookie === V2_COMPRESSED_COOKIE_BASE) p = inflateSync(bytes.subarray(8, 8 + bytes.readInt32BE(4)));
  else if (cookie !== V2_ENCODING_COOKIE_BASE) throw notHdr('not an HdrHistogram V2');
  if (p.length < HEADER_BYTES || (p.readInt32BE(0) & ~WORD_SIZE_BITS) !== V2_ENCODING_COOKIE_BASE) throw notHdr('not an HdrHistogram V2 payload');
  return p;
}

function notHdr(what: string): LoadtsError {
  return new LoadtsError('RECORD', `invalid HDR histogram: ${what}`);
}
