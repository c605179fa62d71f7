import { LoadtsError } from '../errors.js';

/** An exact non-negative rational num/den, reduced, den > 0. */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

/** A k6 execution segment (from, to]: the share of the test one instance runs, 0 ≤ from < to ≤ 1. */
export interface ExecutionSegment {
  readonly from: Fraction;
  readonly to: Fraction;
}

const ZERO: Fraction = { num: 0, den: 1 };
const ONE: Fraction = { num: 1, den: 1 };

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function fraction(num: number, den: number, text: string, where: string): Fraction {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) {
    throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" has too many digits`);
  }
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b (exact). */
export function compareFractions(a: Fraction, b: Fraction): number {
  return compare(a, b);
}

function compare(a: Fraction, b: Fraction): number {
  // Cross products can pass 2^53, so compare them exactly.
  const d = BigInt(a.num) * BigInt(b.den) - BigInt(b.num) * BigInt(a.den);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
}

function equal(a: Fraction, b: Fraction): boolean {
  return a.num === b.num && a.den === b.den;
}

/** '0', '1', '1/3': the shortest exact form, which `parseFraction` reads back. */
export function formatFraction(f: Fraction): string {
  return f.den === 1 ? String(f.num) : `${f.num}/${f.den}`;
}

/** '0:1/2'. */
export function formatExecutionSegment(s: ExecutionSegment): string {
  return `${formatFraction(s.from)}:${formatFraction(s.to)}`;
}

/**
 * Parses one point of k6's segment syntax into an exact fraction: a ratio '1/3', a decimal '0.25'
 * or a percentage '50%' (k6's `stringToRat`).
 * @param where the option and its source, for the error message
 */
export function parseFraction(text: string, where: string): Fraction {
  const s = text.trim();
  const ratio = /^(\d{1,15})\s*\/\s*(\d{1,15})$/.exec(s);
  if (ratio) {
    const den = Number(ratio[2]);
    if (den === 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" divides by zero`);
    return fraction(Number(ratio[1]), den, s, where);
  }
  const decimal = /^(\d*)(?:\.(\d*))?(%?)$/.exec(s);
  if (decimal && /\d/.test(`${decimal[1]}${decimal[2] ?? ''}`)) {
    const intPart = decimal[1] ?? '';
    const decPart = decimal[2] ?? '';
    if (intPart.length + decPart.length > 15) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" has too many digits`);
    const den = 10 ** decPart.length * (decimal[3] === '%' ? 100 : 1);
    return fraction(Number(`${intPart}${decPart}` || '0'), den, s, where);
  }
  throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" is not a fraction, decimal or percentage (use e.g. 1/3, 0.5 or 50%)`);
}

function segment(from: Fraction, to: Fraction, text: string, where: string): ExecutionSegment {
  if (compare(from, to) >= 0) {
    throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" starts at ${formatFraction(from)}, which is not before its end ${formatFraction(to)}`);
  }
  if (compare(to, ONE) > 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" ends at ${formatFraction(to)}, after 1`);
  return { from, to };
}

/**
 * Parses k6's `--execution-segment`: 'from:to' ('0:1/2', '1/2:1', '0.5:1', '25%:50%'); a single
 * value 'x' means '0:x' and '' the whole test '0:1' (k6's `NewExecutionSegmentFromString`).
 * @param where the option and its source, for the error message
 */
export function parseExecutionSegment(text: string, where = 'execution segment'): ExecutionSegment {
  const s = text.trim();
  if (s === '') return { from: ZERO, to: ONE };
  const colon = s.indexOf(':');
  if (colon < 0) return segment(ZERO, parseFraction(s, where), s, where);
  if (s.indexOf(':', colon + 1) >= 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" has more than one ':' (use from:to, e.g. 0:1/2)`);
  return segment(parseFraction(s.slice(0, colon), where), parseFraction(s.slice(colon + 1), where), s, where);
}

/**
 * Parses k6's `--execution-segment-sequence`: increasing points such as '0,1/3,2/3,1', which cut the
 * test into consecutive segments. '' means no sequence and returns []. A sequence that does not
 * start at 0 or end at 1 is valid, as in k6; see `fillSequence`.
 * @param where the option and its source, for the error message
 */
export function parseExecutionSegmentSequence(text: string, where = 'execution segment sequence'): Fraction[] {
  const s = text.trim();
  if (s === '') return [];
  const points = s.split(',').map((p) => parseFraction(p, where));
  if (points.length < 2) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" needs at least 2 points, e.g. 0,1/2,1`);
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1] ?? ZERO;
    const cur = points[i] ?? ONE;
    if (compare(prev, cur) >= 0) {
      throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" must increase, but ${formatFraction(cur)} follows ${formatFraction(prev)}`);
    }
  }
  const last = points[points.length - 1] ?? ONE;
  if (compare(last, ONE) > 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${s}" goes past 1`);
  return points;
}

/** The sequence's segments: consecutive pairs of points. */
export function sequenceSegments(points: readonly Fraction[]): ExecutionSegment[] {
  return points.slice(1).map((to, i) => ({ from: points[i] ?? ZERO, to }));
}

/** True when `segment` is exactly one of the sequence's segments (k6's rule for using both). */
export function isSegmentOfSequence(seg: ExecutionSegment, points: readonly Fraction[]): boolean {
  return sequenceSegments(points).some((s) => equal(s.from, seg.from) && equal(s.to, seg.to));
}

/** Adds 0 in front and 1 at the end where missing, as k6 fills a partial sequence. */
export function fillSequence(points: readonly Fraction[]): Fraction[] {
  if (points.length === 0) return [];
  const out = [...points];
  if (!equal(out[0] ?? ZERO, ZERO)) out.unshift(ZERO);
  if (!equal(out[out.length - 1] ?? ONE, ONE)) out.push(ONE);
  return out;
}

/** '0,1/3,2/3,1'. */
export function formatSequence(points: readonly Fraction[]): string {
  return points.map(formatFraction).join(',');
}
