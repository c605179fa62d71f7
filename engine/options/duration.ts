import { LoadtsError } from '../errors.js';
import type { DurationInput } from './types.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/**
 * Parses a duration as k6 does: a string of number+unit parts ('1h2m3.5s', '500ms', '100us', '2d')
 * or a number of milliseconds. Returns ms.
 * @param where the option or flag, for the error message
 */
export function parseDuration(input: DurationInput | unknown, where: string): number {
  const fail = (why = '') =>
    new LoadtsError('INVALID_DURATION', `invalid duration for ${where}: ${JSON.stringify(input)}${why} (use e.g. 30s, 1m30s, 500ms)`);
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw fail(': must be a non-negative number of milliseconds');
    return input;
  }
  if (typeof input !== 'string') throw fail();
  const s = input.trim();
  if (s === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(s)) throw fail(': missing unit');
  if (s === '' || s.startsWith('-')) throw fail();
  let ms = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw fail();
    ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    pos = PART.lastIndex;
  }
  if (!Number.isFinite(ms)) throw fail();
  return ms;
}

/** Formats ms as k6 prints durations: '1m30s', '500ms', '0s', '1h0m0s'. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round(((ms % 60_000) / 1000) * 1000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
