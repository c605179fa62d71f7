import type { Tags } from '../metrics/types.js';
import type { RunRecord } from '../record/types.js';
import { blockReplicates, blocksOf } from '../stats/block-bootstrap.js';
import { percentileReplicate } from '../stats/bootstrap.js';
import { seededRandom } from '../stats/random.js';
import jStat from 'jstat';
import { statOf, trendBuckets, trendIntervals, type MetricData } from './metric-data.js';

/** Fewer blocks than this in either run: the samples are resampled one by one instead. */
export const MIN_BLOCKS = 10;
const SEED = 0x5eed;

/** A percentile's change between two runs, with its interval and the method that gave it. */
export interface PercentileChange {
  p: number;
  base: number;
  next: number;
  change: number | undefined;
  interval: [number, number] | undefined;
  significant: boolean;
  method: 'block bootstrap' | 'bootstrap';
}

/** Replicates of percentiles `ps` of one run: by blocks of time (its intervals) when given, else sample by sample. */
function replicates(m: MetricData, intervals: Array<Array<[number, number]>> | undefined, ps: readonly number[], draws: number, seed: number): Float64Array[] {
  if (intervals !== undefined) return blockReplicates(blocksOf(intervals), ps, draws, seed);
  const buckets = trendBuckets(m);
  jStat.setRandom(seededRandom(seed));
  const out = ps.map((p) => Float64Array.from({ length: draws }, () => percentileReplicate(buckets, p)));
  jStat.setRandom(Math.random);
  return out;
}

/**
 * The changes of percentiles `ps` of a trend between two runs, each with a percentile-bootstrap
 * interval of the relative change (new* − base*) / base* at `confidence`. When both records have
 * at least MIN_BLOCKS intervals of samples, each run is resampled by blocks of time (its time
 * series' intervals), so the interval also holds the run's own slow and fast stretches, which a
 * resampling of single samples would take for signal; otherwise the samples are resampled one by
 * one from the full histogram (exactly, through the Beta law of order statistics).
 */
export function percentileChanges(
  runs: { base: RunRecord; next: RunRecord },
  data: { base: MetricData; next: MetricData },
  name: string,
  filter: Tags,
  ps: readonly number[],
  confidence: number,
  draws: number,
): PercentileChange[] {
  const intervalsA = trendIntervals(runs.base, name, filter);
  const intervalsB = trendIntervals(runs.next, name, filter);
  const blocks = intervalsA.length >= MIN_BLOCKS && intervalsB.length >= MIN_BLOCKS;
  const a = replicates(data.base, blocks ? intervalsA : undefined, ps, draws, SEED);
  const b = replicates(data.next, blocks ? intervalsB : undefined, ps, draws, SEED + 1);
  return ps.map((p, i) => {
    const base = statOf(data.base, `p(${p})`) ?? 0;
    const next = statOf(data.next, `p(${p})`) ?? 0;
    const change = base === 0 ? undefined : (next - base) / base;
    const ratios = a[i]!.map((x, d) => (x === 0 ? 0 : (b[i]![d]! - x) / x)).sort();
    const at = (q: number) => ratios[Math.min(draws - 1, Math.max(0, Math.round(q * (draws - 1))))]!;
    const interval: [number, number] | undefined = draws > 0 ? [at((1 - confidence) / 2), at((1 + confidence) / 2)] : undefined;
    const significant = interval !== undefined && (interval[0] > 0 || interval[1] < 0);
    return { p, base, next, change, interval, significant, method: blocks ? 'block bootstrap' : 'bootstrap' };
  });
}
