import { seededRandom } from './random.js';

/**
 * A run's samples as blocks of time: the time series' intervals (1 s by default), each a sparse
 * histogram over one shared list of bucket values. Samples close in time are alike (a GC pause, a
 * busy second on the machine), so a run's own noise shows in how its blocks differ.
 */
export interface Blocks {
  /** Bucket values, ascending (shared by every block). */
  values: Float64Array;
  /** Per block: bucket indexes into `values` and their counts. */
  blocks: Array<{ index: Uint32Array; count: Float64Array }>;
}

/** Builds blocks from per-interval (value, count) lists; at most `maxBlocks` (adjacent intervals merge). */
export function blocksOf(intervals: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, maxBlocks = 200): Blocks {
  const group = Math.max(1, Math.ceil(intervals.length / maxBlocks));
  const merged: Array<Map<number, number>> = [];
  intervals.forEach((pairs, i) => {
    const m = (merged[Math.floor(i / group)] ??= new Map());
    for (const [v, c] of pairs) m.set(v, (m.get(v) ?? 0) + c);
  });
  const values = Float64Array.from(new Set(merged.flatMap((m) => [...m.keys()]))).sort();
  const at = new Map<number, number>();
  values.forEach((v, i) => at.set(v, i));
  const blocks = merged.filter((m) => m.size > 0).map((m) => ({ index: Uint32Array.from([...m.keys()].map((v) => at.get(v)!)), count: Float64Array.from(m.values()) }));
  return { values, blocks };
}

/** Nearest-rank percentiles `ps` (0..100) of a histogram of counts over `values`. */
function percentiles(values: Float64Array, counts: Float64Array, total: number, ps: readonly number[]): number[] {
  const out: number[] = [];
  let cum = 0;
  let i = 0;
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    while (i < counts.length - 1 && cum + counts[i]! < rank) cum += counts[i++]!;
    out.push(values[i]!);
  }
  return out;
}

/**
 * `draws` block-bootstrap replicates of percentiles `ps` (ascending): each replicate draws as many
 * blocks as the run has, with replacement, and takes the percentiles of their samples together
 * (Künsch's block bootstrap, with the time series' intervals as blocks). Returns one array per
 * percentile. The seed is fixed: the same records give the same replicates.
 */
export function blockReplicates(b: Blocks, ps: readonly number[], draws: number, seed: number): Float64Array[] {
  const rand = seededRandom(seed);
  const out = ps.map(() => new Float64Array(draws));
  const counts = new Float64Array(b.values.length);
  const n = b.blocks.length;
  for (let d = 0; d < draws; d++) {
    counts.fill(0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const blk = b.blocks[Math.floor(rand() * n)]!;
      for (let k = 0; k < blk.index.length; k++) {
        counts[blk.index[k]!]! += blk.count[k]!;
        total += blk.count[k]!;
      }
    }
    percentiles(b.values, counts, total, ps).forEach((v, i) => (out[i]![d] = v));
  }
  return out;
}
