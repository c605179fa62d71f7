/** Formats a time in ms as k6 does: '512.37µs', '12.34ms', '1.23s', '1m2.5s'; or in a forced unit. */
export function formatTime(ms: number, unit: string = ''): string {
  switch (unit) {
    case 's':
      return `${trim(ms / 1000)}s`;
    case 'ms':
      return `${trim(ms)}ms`;
    case 'us':
      return `${trim(ms * 1000)}µs`;
  }
  const abs = Math.abs(ms);
  if (abs === 0) return '0s';
  if (abs < 1) return `${trim(ms * 1000)}µs`;
  if (abs < 1000) return `${trim(ms)}ms`;
  if (abs < 60_000) return `${trim(ms / 1000)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${trim((ms - m * 60_000) / 1000)}s`;
}

/** Two decimals, trailing zeros dropped (k6's style: 1.5ms, 12.34ms, 3s). */
function trim(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Bytes as k6 shows them: '812 B', '1.2 kB', '3.4 MB' (SI units). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(1).replace(/\.0$/, '')} ${units[i]}`;
}

/** A plain number: integers as is, others with up to 6 decimals. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}
