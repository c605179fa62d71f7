import { encodeCounts, hdrIndex } from './hdr-layout.js';

const EMPTY = new Uint32Array(0);

/**
 * A worker's histogram between two snapshots: a bare counts array in HDR layout. Recording is an
 * index computation and an increment (hdr-histogram-js's recordValue costs a Math.log2, a pow and
 * min/max bookkeeping per value); the array grows as values need and is kept across resets, and
 * only the touched range is cleared. `encode` writes the standard HDR encoding straight from it.
 */
export class HdrCounts {
  #counts: Uint32Array = EMPTY;
  #lowIndex = Number.MAX_SAFE_INTEGER;
  #highIndex = -1;
  /** Values recorded since the last reset. */
  total = 0;

  /** Records an integer value ≥ 0. */
  record(value: number): void {
    const index = hdrIndex(value);
    let counts = this.#counts;
    if (index >= counts.length) counts = this.#grow(index);
    counts[index]!++;
    if (index < this.#lowIndex) this.#lowIndex = index;
    if (index > this.#highIndex) this.#highIndex = index;
    this.total++;
  }

  #grow(index: number): Uint32Array {
    const length = Math.max(2048, Math.ceil(((index + 1) * 1.25) / 1024) * 1024);
    const counts = new Uint32Array(length);
    counts.set(this.#counts);
    this.#counts = counts;
    return counts;
  }

  /**
   * The counts as a base64 HDR histogram (see encodeCounts), uncompressed unless `compressed`: a
   * worker's report goes to the coordinator in the same process, which adds it and keeps only
   * its own encodings. '' when empty.
   */
  encode(compressed = false): string {
    return this.total === 0 ? '' : encodeCounts(this.#counts, this.#lowIndex, this.#highIndex, compressed);
  }

  /** Forgets every value, keeping the array. */
  reset(): void {
    if (this.#highIndex >= 0) this.#counts.fill(0, this.#lowIndex, this.#highIndex + 1);
    this.#lowIndex = Number.MAX_SAFE_INTEGER;
    this.#highIndex = -1;
    this.total = 0;
  }
}
