import jStat from 'jstat';
import type { LeakJudgement } from './types.js';

export type { LeakJudgement } from './types.js';

/** Growth below this is never called a leak, bytes per minute (1 MiB/min is 1.4 GiB a day). */
export const MATERIAL_GROWTH_BYTES_PER_MIN = 1024 * 1024;
/** The share of the watched time taken as warm-up (at most WARMUP_MAX_MS), not judged. */
export const WARMUP_SHARE = 0.2;
export const WARMUP_MAX_MS = 30_000;
/** Fewer samples than this after the warm-up: no judgement. */
export const MIN_SAMPLES = 5;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

/**
 * Judges whether RSS grows: a least-squares line through the samples after the warm-up, its slope's
 * 95% interval from Student's t, widened for autocorrelated residuals (RSS moves in GC cycles, so
 * neighbouring samples are alike): the effective sample size n(1 − ρ)/(1 + ρ) with ρ the residuals'
 * lag-1 autocorrelation, when positive. A leak only when the whole interval is above zero and the
 * slope is at least MATERIAL_GROWTH_BYTES_PER_MIN.
 */
export function judgeLeak(points: ReadonlyArray<{ atMs: number; rssBytes: number }>, material = MATERIAL_GROWTH_BYTES_PER_MIN): LeakJudgement {
  if (points.length === 0) return { verdict: 'unknown', samples: 0, text: 'target memory: no samples' };
  const start = points[0]!.atMs;
  const span = points[points.length - 1]!.atMs - start;
  const after = start + Math.min(WARMUP_MAX_MS, WARMUP_SHARE * span);
  const used = points.filter((p) => p.atMs >= after);
  const n = used.length;
  if (n < MIN_SAMPLES) return { verdict: 'unknown', samples: n, text: `target memory: ${n} samples after the warm-up, too few to judge a trend (needs ${MIN_SAMPLES}: a longer run)` };
  const xs = used.map((p) => (p.atMs - after) / 60_000);
  const ys = used.map((p) => p.rssBytes);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const res = ys.map((y, i) => y - my - slope * (xs[i]! - mx));
  const sse = res.reduce((a, e) => a + e * e, 0);
  let lag = 0;
  for (let i = 1; i < n; i++) lag += res[i]! * res[i - 1]!;
  const rho = sse > 0 ? Math.min(0.95, Math.max(0, lag / sse)) : 0;
  const nEff = Math.max(3, (n * (1 - rho)) / (1 + rho));
  const se = sxx > 0 ? Math.sqrt(sse / Math.max(1, n - 2) / sxx) * Math.sqrt(n / nEff) : 0;
  const t = jStat.studentt.inv(0.975, Math.max(1, nEff - 2));
  const interval: [number, number] = [slope - t * se, slope + t * se];
  const leak = interval[0] > 0 && slope >= material;
  const grows = `${slope >= 0 ? 'grows' : 'shrinks'} ${mib(Math.abs(slope))}/min (95% interval ${mib(interval[0])} to ${mib(interval[1])}/min, ${n} samples after the warm-up)`;
  const text = leak
    ? `target memory: LEAK: RSS ${grows}`
    : `target memory: no leak: RSS ${grows}${interval[0] > 0 ? `, below the ${mib(material)}/min that counts` : ''}`;
  return { verdict: leak ? 'leak' : 'no-leak', slopeBytesPerMin: slope, interval, samples: n, fromMs: after, toMs: used[n - 1]!.atMs, text };
}
