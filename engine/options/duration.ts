import { LoadtsError } from '../errors.js';
import type { DurationInput } from './types.js';

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu, also accepted by Go
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const MS_PER_DAY = 86_400_000;

/** One number+unit part of a Go duration: '1', '1.5', '.5' or '1.' followed by a unit. */
const PART = /(\d+\.?\d*|\.\d+)([^\d.]*)/y;
const BARE_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

const HINT = '(use e.g. 30s, 1m30s, 500ms)';

function invalid(input: unknown, where: string, problem = ''): LoadtsError {
  let shown: string;
  if (typeof input === 'number' || input === undefined || typeof input === 'function' || typeof input === 'symbol' || typeof input === 'bigint') shown = String(input);
  else {
    try {
      shown = JSON.stringify(input) ?? String(input);
    } catch {
      shown = String(input);
    }
  }
  return new LoadtsError('INVALID_DURATION', `invalid duration for ${where}: ${shown}${problem ? ` ${problem}` : ''} ${HINT}`);
}

/** True for a duration string that is a plain number ('30', '1.5'): k6 reads it as milliseconds. */
export function isBareNumberDuration(input: string): boolean {
  return BARE_NUMBER.test(input.trim());
}

/** Parses Go's duration grammar ('1h2m3.5s', '300ms', '1.5h', '0'), unsigned; NaN when invalid. */
function parseGoDurationMs(text: string): { ms: number; badUnit?: string } {
  if (text === '0') return { ms: 0 };
  if (text === '') return { ms: Number.NaN };
  let ms = 0;
  let pos = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return { ms: Number.NaN };
    const unit = m[2] ?? '';
    const perUnit = MS_PER_UNIT[unit];
    if (perUnit === undefined) return { ms: Number.NaN, badUnit: unit };
    ms += Number(m[1]) * perUnit;
    pos = PART.lastIndex;
  }
  return { ms };
}

/**
 * Parses a duration as k6 does (`types.ParseExtendedDuration`) and returns milliseconds.
 *
 * - a string in Go's syntax: number+unit parts with units ns, us (µs), ms, s, m, h, e.g. '1h2m3.5s',
 *   '500ms', '100us', '1.5s'; k6's extension of leading whole days, e.g. '2d' or '1d12h';
 * - a string that is a plain number ('250'): milliseconds, as in k6;
 * - a number: milliseconds, as in a k6 script's options.
 *
 * @param where the option or flag and its source, for the error message, e.g. 'duration (script)'
 * @throws LoadtsError INVALID_DURATION for negative, non-finite or unparseable input
 */
export function parseDuration(input: DurationInput | unknown, where: string): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalid(input, where, 'is not a finite number of milliseconds');
    if (input < 0) throw invalid(input, where, 'is negative');
    return input;
  }
  if (typeof input !== 'string') throw invalid(input, where, 'is not a string or a number');
  const text = input.trim();
  if (text.startsWith('-')) {
    if (text !== '-0' && text !== '-0s') throw invalid(input, where, 'is negative');
  }
  const unsigned = text.replace(/^[+-]/, '');
  if (BARE_NUMBER.test(unsigned)) return Number(unsigned);
  let days = 0;
  let rest = unsigned;
  const dayMatch = /^(\d+)d(.*)$/.exec(unsigned);
  if (dayMatch) {
    days = Number(dayMatch[1]);
    rest = dayMatch[2] ?? '';
  }
  const { ms, badUnit } = rest === '' && dayMatch ? { ms: 0 } : parseGoDurationMs(rest);
  if (badUnit !== undefined) {
    const problem =
      badUnit === '' ? 'is missing a unit' : badUnit === 'd' ? 'has days that are not whole or not first (e.g. 2d, 1d12h)' : `has an unknown unit ${JSON.stringify(badUnit)}`;
    throw invalid(input, where, problem);
  }
  if (!Number.isFinite(ms)) throw invalid(input, where);
  return days * MS_PER_DAY + ms;
}

function trimNumber(n: number, decimals: number): string {
  return String(Number(n.toFixed(decimals)));
}

/**
 * Formats milliseconds the way k6 prints durations (Go's `time.Duration.String`): '1h0m0s',
 * '1m30s', '1.5s', '500ms', '100µs', '0s'. Precision is 1 µs.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const us = Math.round(ms * 1000);
  if (us === 0) return '0s';
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${trimNumber(us / 1000, 3)}ms`;
  const hours = Math.floor(us / 3_600_000_000);
  const minutes = Math.floor((us % 3_600_000_000) / 60_000_000);
  const seconds = trimNumber((us % 60_000_000) / 1_000_000, 6);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
