import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type JsHistogram } from 'hdr-histogram-js';
import { assert } from '../errors.js';
import { HALF_MAGNITUDE, hdrHighestValue, SIGNIFICANT_DIGITS } from './hdr-layout.js';
import { forEachSlot } from './hdr-sum.js';

export { encodeCounts, hdrHighestValue, hdrIndex, hdrLowestValue } from './hdr-layout.js';

/**
 * A new empty histogram. Workers encode 32-bit ones (one snapshot interval never counts 2^32 samples
 * in one slot); the coordinator keeps 64-bit ones, whose counts stay exact up to 2^53 over a long run.
 */
export function newHistogram(bits: 32 | 64, highestValue = 2): JsHistogram {
  return build({
    bitBucketSize: bits,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: Math.max(2, highestValue),
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  }) as JsHistogram;
}

// The fast index below must agree with hdr-histogram-js; check the layout once at load.
const probe = newHistogram(32);
assert(probe.subBucketHalfCountMagnitude === HALF_MAGNITUDE && probe.unitMagnitude === 0, 'unexpected HDR histogram layout');

/** Compressed base64 (the HdrHistogram V2 format other tools read); '' for an empty histogram. */
export function encodeHistogram(h: JsHistogram | undefined): string {
  return h !== undefined && h.totalCount > 0 ? encodeIntoCompressedBase64(h) : '';
}

/**
 * Decodes encodeHistogram's output, or any base64 HdrHistogram V2 of the loadts layout, compressed
 * or not (a worker's report, see encodeCounts), into a 64-bit histogram; undefined for ''.
 */
export function decodeHistogram(encoded: string): JsHistogram | undefined {
  if (encoded === '') return undefined;
  if (!isUncompressed(encoded)) return decodeFromCompressedBase64(encoded, 64, false) as JsHistogram;
  let high = 0;
  forEachSlot(encoded, (index) => (high = index));
  // As decodeFromCompressedBase64 does: counts set slot by slot, then min, max and total from them.
  const h = newHistogram(64, hdrHighestValue(high));
  forEachSlot(encoded, (index, count) => h.setCountAtIndex(index, count));
  h.establishInternalTackingValues();
  return h;
}

/** Whether the cookie (the first four bytes; bits 4-7 are the word size) is the uncompressed V2 one. */
function isUncompressed(encoded: string): boolean {
  const head = Buffer.from(encoded.slice(0, 8), 'base64');
  return head.length >= 4 && (head.readInt32BE(0) & ~0xf0) === 0x1c849303;
}

