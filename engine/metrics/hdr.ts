import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type JsHistogram } from 'hdr-histogram-js';
import { assert } from '../errors.js';
import { HALF_MAGNITUDE, hdrHighestValue, SIGNIFICANT_DIGITS } from './hdr-layout.js';
import { forEachSlot, isUncompressedHdr } from './hdr-sum.js';

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
  if (!isUncompressedHdr(encoded)) return decodeFromCompressedBase64(encoded, 64, false) as JsHistogram;
  // As decodeFromCompressedBase64 does: counts set slot by slot, then min, max and total from them.
  const slots: number[] = [];
  forEachSlot(encoded, (index, count) => slots.push(index, count));
  const h = newHistogram(64, hdrHighestValue(slots.at(-2) ?? 0)); // slots come in order: the last is the highest
  for (let i = 0; i < slots.length; i += 2) h.setCountAtIndex(slots[i]!, slots[i + 1]!);
  h.establishInternalTackingValues();
  return h;
}

