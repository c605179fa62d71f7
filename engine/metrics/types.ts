/** k6's four metric types. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** What a metric's values are: plain numbers, times in milliseconds, or bytes. */
export type ValueType = 'default' | 'time' | 'data';

/** Plain tag map, as users and outputs see it. */
export type Tags = Record<string, string>;

/** A metric's definition: the same in every worker, process and output. */
export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
}

/**
 * What one series (metric + tag set) accumulated since the previous snapshot.
 * Plain data: it crosses threads by structured clone and merges exactly.
 */
export type SinkSnapshot =
  | { readonly type: 'counter'; readonly sum: number }
  | {
      readonly type: 'gauge';
      readonly value: number;
      readonly min: number;
      readonly max: number;
      /** Wall-clock ms (performance.timeOrigin + now) of the last set; the latest wins on merge. */
      readonly lastAtMs: number;
    }
  | { readonly type: 'rate'; readonly passes: number; readonly fails: number }
  | {
      readonly type: 'trend';
      readonly count: number;
      readonly sum: number;
      readonly min: number;
      readonly max: number;
      /**
       * HDR histogram of the non-negative values (scaled, see TREND_SCALE), base64 HdrHistogram V2:
       * compressed in everything loadts keeps or writes, uncompressed in a worker's report to its
       * coordinator (see encodeCounts); '' when empty.
       */
      readonly hdr: string;
      /** HDR histogram of the absolute values of negative samples; '' when none. */
      readonly negHdr: string;
    };

export interface SeriesSnapshot {
  readonly metric: string;
  /** Canonical key of the tag set (TagSet.key): identical tags give identical keys in every thread. */
  readonly key: string;
  readonly tags: Tags;
  readonly data: SinkSnapshot;
}

/** Everything a worker measured since its previous snapshot. */
export interface MetricsSnapshot {
  readonly defs: readonly MetricDef[];
  readonly series: readonly SeriesSnapshot[];
}

/**
 * Trend values are stored in HDR histograms as integers: value × TREND_SCALE, rounded.
 * Times are in ms, so one unit is 1 µs; other trends keep three decimals.
 */
export const TREND_SCALE = 1000;
