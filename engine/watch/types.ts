/**
 * The watch's data as the run record keeps it (`target`, docs/record.md): types only, so that
 * readers of records (the report page, `loadts summary`) need none of the watch's runtime.
 */

/** The judgement of a target's memory over a run (docs/capacity.md). */
export interface LeakJudgement {
  /** leak: the RSS grew, surely and materially; no-leak: it did not; unknown: too few samples. */
  verdict: 'leak' | 'no-leak' | 'unknown';
  /** Least-squares slope of RSS over time after the warm-up, bytes per minute. */
  slopeBytesPerMin?: number;
  /** Its 95% interval (widened for correlated samples). */
  interval?: [number, number];
  samples: number;
  /** The judged window, wall-clock ms. */
  fromMs?: number;
  toMs?: number;
  /** One line for the summary. */
  text: string;
}

/** The watch in the run record (`target`, docs/record.md). */
export interface TargetRecord {
  pid: number;
  command?: string;
  /** One sample a second: wall-clock ms and the values (fds and threads null off Linux). */
  samples: { atMs: number[]; rssBytes: number[]; cpuPercent: number[]; fds: Array<number | null>; threads: Array<number | null> };
  /** The memory's trend over the load, judged after its warm-up. */
  leak: LeakJudgement;
  /** Set when the target ended during the run. */
  gone?: string;
}
