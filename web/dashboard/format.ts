import type { MetricDef } from '../../engine/metrics/types.js';
import { formatBytes, formatDuration, formatPercent, humanizeValue } from '../../engine/output/format.js';

export { formatBytes, formatDuration, formatPercent };

/** A metric's value as the end-of-test summary shows it (k6's humanizeValue). */
export function metricValue(v: number, m: Pick<MetricDef, 'type' | 'contains'>): string {
  return humanizeValue(v, m);
}

/** ms as the stage table shows it. */
export function ms(v: number | undefined | null): string {
  if (v === undefined || v === null) return '–';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(2)} ms`;
}

/** A count or a rate: 1234 → 1,234; 12.345 → 12.3. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toFixed(Math.abs(v) >= 10 ? 1 : 2)).toString();
}

/** Seconds as an axis label: 0:45, 12:03, 1:02:03. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Axis value for a unit: 'ms', 'bytes/s', '%', '/s' or ''. */
export function axisValue(v: number, unit: string): string {
  if (unit === 'ms') return v >= 1000 ? `${+(v / 1000).toFixed(1)}s` : `${+v.toFixed(1)}ms`;
  if (unit === 'bytes/s') return `${formatBytes(v)}/s`;
  if (unit === '%') return `${+v.toFixed(1)}%`;
  return num(v);
}
