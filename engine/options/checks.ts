import { LoadtsError, type LoadtsErrorCode } from '../errors.js';
import { parseDuration } from './duration.js';

/** Where a value sits: its option path ('scenarios.api.rate'), the source that set it, the error code. */
export interface Where {
  path: string;
  /** 'script', 'command line', 'config file c.yaml', ...; undefined for a default. */
  source: string | undefined;
  code: LoadtsErrorCode;
}

/** 'scenarios.api.rate (script)'. */
export function describe(w: Where): string {
  return w.source ? `${w.path} (${w.source})` : w.path;
}

/** The one-line error for a mistake at `w`: 'invalid option vus (script): must be ...'. */
export function invalid(w: Where, problem: string): LoadtsError {
  return new LoadtsError(w.code, `invalid option ${describe(w)}: ${problem}`);
}

/** A value as shown in messages: strings quoted, everything else as JSON. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A non-null, non-array object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * An integer ≥ min. A string of digits is accepted (k6 reads `vus: __ENV.VUS`, a string, as a
 * number).
 */
export function integer(v: unknown, w: Where, min = 0): number {
  const n = typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    const rule = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw invalid(w, `must be ${rule}, got ${show(v)}`);
  }
  return n;
}

/** A finite number ≥ 0 (or > 0 with `positive`); numeric strings accepted. */
export function nonNegativeNumber(v: unknown, w: Where, positive = false): number {
  const n = typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (positive && n === 0)) {
    throw invalid(w, `must be ${positive ? 'a number above 0' : 'a non-negative number'}, got ${show(v)}`);
  }
  return n;
}

/** true or false; the strings 'true' and 'false' are accepted. */
export function boolean(v: unknown, w: Where, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (typeof v !== 'boolean') throw invalid(w, `must be true or false, got ${show(v)}`);
  return v;
}

/** A string. */
export function string(v: unknown, w: Where): string {
  if (typeof v !== 'string') throw invalid(w, `must be a string, got ${show(v)}`);
  return v;
}

/**
 * A duration in ms (see parseDuration); `positive` rejects 0. Errors are INVALID_DURATION for
 * syntax and INVALID_OPTION (or `w.code`) for range.
 */
export function duration(v: unknown, w: Where, positive = false): number {
  const ms = parseDuration(v, describe(w));
  if (positive && ms <= 0) throw invalid(w, `must be longer than 0s, got ${show(v)}`);
  return ms;
}

/** An object of string values (numbers and booleans are turned into strings). */
export function stringMap(v: unknown, w: Where): Record<string, string> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw invalid(w, `must be an object of strings, got ${show(v)}`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined || val === null) continue;
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
      throw invalid({ ...w, path: `${w.path}.${k}` }, `must be a string, got ${show(val)}`);
    }
    out[k] = String(val);
  }
  return out;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The closest of `known` to `name` (case-insensitive), when it is close enough to be a typo: at most
 * `maxDistance` edits (default: 2, or a third of the name's length for long names).
 */
export function closest(name: string, known: Iterable<string>, maxDistance = Math.max(2, Math.floor(name.length / 3))): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** ' (did you mean X?)' or ''. */
export function didYouMean(name: string, known: Iterable<string>, prefix = '', maxDistance?: number): string {
  const c = closest(name, known, maxDistance);
  return c === undefined ? '' : ` (did you mean ${prefix}${c}?)`;
}
