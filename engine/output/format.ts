import type { SummaryMetric } from './summary-types.js';

/**
 * Value formatting as k6's classic end-of-test summary does it (jslib k6-summary `summary.js`,
 * k6 `internal/js/summary-legacy.js`: humanizeValue, humanizeDuration, humanizeBytes).
 *
 * One deliberate difference: k6 truncates `x * 100` etc. straight away, so binary floating-point
 * noise shows (0.29 → '28.99%', 1.13 ms → '1.12ms'); here the product is first rounded to 9
 * significant digits, then truncated.
 */

/** `summaryTimeUnit` values k6 accepts, with their factor from milliseconds. */
const TIME_UNITS: Record<string, { unit: string; perMs: number }> = {
  s: { unit: 's', perMs: 0.001 },
  ms: { unit: 'ms', perMs: 1 },
  us: { unit: 'µs', perMs: 1000 },
};

/** Drops binary noise before truncating: 112.99999999999999 → 113. */
function denoise(v: number): number {
  return Number(v.toPrecision(9));
}

/** `v` with at most `digits` decimals, rounded, trailing zeros dropped: k6's toFixedNoTrailingZeros. */
export function fixedNoTrailingZeros(v: number, digits: number): string {
  return String(Number.parseFloat(v.toFixed(digits)));
}

/** `v` truncated (not rounded) to `digits` decimals, trailing zeros dropped. */
function truncNoTrailingZeros(v: number, digits: number): string {
  const mult = 10 ** digits;
  return fixedNoTrailingZeros(Math.trunc(denoise(v * mult)) / mult, digits);
}

/**
 * A time in ms as k6 shows it: '0s', '850ns', '512.37µs', '12.34ms', '1.23s', '1m2s', '1h2m3s'
 * (truncated to two decimals; whole seconds past a minute). With `timeUnit` 's', 'ms' or 'us':
 * always that unit with two decimals ('1234.50ms').
 */
export function formatDuration(ms: number, timeUnit = ''): string {
  const forced = TIME_UNITS[timeUnit];
  if (forced !== undefined) return `${(ms * forced.perMs).toFixed(2)}${forced.unit}`;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(denoise(ms * 1e6))}ns`;
  if (ms < 1) return `${truncNoTrailingZeros(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${truncNoTrailingZeros(ms, 2)}ms`;
  let out = `${truncNoTrailingZeros((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return out;
  out = `${rest % 60}m${out}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return out;
  return `${rest}h${out}`;
}

/**
 * Bytes in SI units as k6 shows them: '812 B', '1.3 MB', '711 kB' (one decimal below 10, none
 * from 10). Values under 10 B (data rates) keep up to two decimals where k6 prints the raw float.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes < 10) return `${fixedNoTrailingZeros(bytes, 2)} B`;
  let e = 0;
  let scaled = bytes;
  while (scaled >= 1000 && e < units.length - 1) {
    scaled /= 1000;
    e++;
  }
  const v = Math.floor(scaled * 10 + 0.5) / 10;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[e]}`;
}

/** A rate (0..1) as a percentage truncated to two decimals: '99.98%'. */
export function formatPercent(rate: number): string {
  return `${(Math.trunc(denoise(rate * 10_000)) / 100).toFixed(2)}%`;
}

/** A plain number: up to six decimals, trailing zeros dropped ('4.36938'). */
export function formatNumber(v: number): string {
  return fixedNoTrailingZeros(v, 6);
}

/** k6's humanizeValue: rates as %, data as bytes, times as durations, anything else as a number. */
export function humanizeValue(value: number, metric: Pick<SummaryMetric, 'type' | 'contains'>, timeUnit = ''): string {
  if (metric.type === 'rate') return formatPercent(value);
  switch (metric.contains) {
    case 'data':
      return formatBytes(value);
    case 'time':
      return formatDuration(value, timeUnit);
    default:
      return formatNumber(value);
  }
}

/** Columns a string takes on screen, ANSI escapes not counted (k6's strWidth). */
export function strWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  const plain = s.normalize('NFKC').replace(/\x1b\[[0-9;]*[@-~]/g, '');
  return [...plain].length;
}
