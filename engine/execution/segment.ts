import { LoadtsError } from '../errors.js';

/** An exact rational number num/den with den > 0, reduced. */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** Reduced fraction num/den. */
export function fraction(num: number, den: number): Fraction {
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g };
}

function compare(a: Fraction, b: Fraction): number {
  return a.num * b.den - b.num * a.den;
}

/**
 * Parses k6's segment-boundary syntax: '1/3', '0.25', '50%', '0', '1'.
 * @param where used in the error message, e.g. '--execution-segment'
 */
export function parseFraction(text: string, where: string): Fraction {
  const s = text.trim();
  let m = /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (m) {
    const den = Number(m[2]);
    if (den === 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" divides by zero`);
    return fraction(Number(m[1]), den);
  }
  m = /^(\d+(?:\.\d+)?)(%?)$/.exec(s);
  if (m) {
    const [intPart = '', decPart = ''] = (m[1] ?? '').split('.');
    let den = 10 ** decPart.length;
    let num = Number(intPart + decPart);
    if (m[2] === '%') den *= 100;
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) {
      throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" has too many digits`);
    }
    return fraction(num, den);
  }
  throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" is not a fraction (use e.g. 1/3, 0.5 or 50%)`);
}

/** A segment (from, to] of the whole test, 0 ≤ from < to ≤ 1. */
export interface Segment {
  readonly from: Fraction;
  readonly to: Fraction;
}

/** Parses '0:1/2' (k6 syntax; a single value 'x' means '0:x'). */
export function parseSegment(text: string, where = '--execution-segment'): Segment {
  const parts = text.split(':');
  if (parts.length > 2) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" (use from:to, e.g. 0:1/2)`);
  const from = parts.length === 2 ? parseFraction(parts[0] ?? '', where) : fraction(0, 1);
  const to = parseFraction(parts.length === 2 ? (parts[1] ?? '') : (parts[0] ?? ''), where);
  if (compare(from, to) >= 0 || compare(to, fraction(1, 1)) > 0) {
    throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" must satisfy 0 <= from < to <= 1`);
  }
  return { from, to };
}

/** Parses '0,1/3,2/3,1' into increasing boundaries from 0 to 1. */
export function parseSequence(text: string, where = '--execution-segment-sequence'): Fraction[] {
  const points = text.split(',').map((p) => parseFraction(p, where));
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length < 2 || !first || !last || first.num !== 0 || compare(last, fraction(1, 1)) !== 0) {
    throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" must run from 0 to 1, e.g. 0,1/2,1`);
  }
  for (let i = 1; i < points.length; i++) {
    if (compare(points[i - 1]!, points[i]!) >= 0) {
      throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${text}" must be strictly increasing`);
    }
  }
  return points;
}

/**
 * One level of splitting: which global indices (VU numbers, iteration numbers) belong to one
 * segment of a sequence. With D the least common multiple of the sequence's denominators, every
 * run of D consecutive indices is split into contiguous blocks of size D·(to−from), one per
 * segment. So the segments of a sequence partition the indices exactly, for any count: N VUs or
 * iterations over any sequence add up to N, and each segment's share is within one block of
 * N·(to−from).
 */
export class SegmentPartition {
  /** Period of the striping. */
  readonly period: number;
  /** First owned offset within a period. */
  readonly lo: number;
  /** Owned offsets per period. */
  readonly size: number;

  constructor(segment: Segment, sequence?: readonly Fraction[]) {
    const points = sequence ?? [fraction(0, 1), segment.from, segment.to, fraction(1, 1)];
    const isBoundary = (f: Fraction) => points.some((p) => compare(p, f) === 0);
    if (sequence && (!isBoundary(segment.from) || !isBoundary(segment.to))) {
      throw new LoadtsError('INVALID_OPTION', 'invalid --execution-segment: it is not a segment of --execution-segment-sequence');
    }
    const period = points.reduce((acc, p) => lcm(acc, p.den), 1);
    if (!Number.isSafeInteger(period) || period > 1e9) {
      throw new LoadtsError('INVALID_OPTION', 'invalid execution segment: the fractions are too fine (common denominator above 1e9)');
    }
    this.period = period;
    this.lo = (segment.from.num * period) / segment.from.den;
    this.size = (segment.to.num * period) / segment.to.den - this.lo;
  }

  /** How many of the global indices [0, n) this segment owns. */
  count(n: number): number {
    const full = Math.floor(n / this.period);
    const rest = n - full * this.period;
    return full * this.size + Math.min(Math.max(rest - this.lo, 0), this.size);
  }

  /** The global index of this segment's `local`-th owned index. */
  globalIndex(local: number): number {
    const block = Math.floor(local / this.size);
    return block * this.period + this.lo + (local - block * this.size);
  }

  /** Whether global index `i` is owned. */
  owns(i: number): boolean {
    const r = i % this.period;
    return r >= this.lo && r < this.lo + this.size;
  }
}

/**
 * The share of the test one worker thread runs: its process's execution segment (split by the
 * segment sequence), then worker `index` of `workers` inside that (round-robin). Indices handed to
 * `count` and returned by `globalIndex` are test-wide, so N processes × W workers run exactly what
 * one process with one worker would.
 */
export class SegmentChain {
  readonly #levels: readonly SegmentPartition[];

  constructor(levels: readonly SegmentPartition[]) {
    this.#levels = levels;
  }

  /** Process segment (from `--execution-segment`/`-sequence`) refined to worker `index` of `workers`. */
  static forWorker(processSegment: string, sequence: string, index: number, workers: number): SegmentChain {
    const seg = parseSegment(processSegment || '0:1');
    const seq = sequence ? parseSequence(sequence) : undefined;
    const workerSeg: Segment = { from: fraction(index, workers), to: fraction(index + 1, workers) };
    const workerSeq = Array.from({ length: workers + 1 }, (_, i) => fraction(i, workers));
    return new SegmentChain([new SegmentPartition(seg, seq), new SegmentPartition(workerSeg, workerSeq)]);
  }

  /** The whole test (for planning totals). */
  static readonly WHOLE = new SegmentChain([]);

  /** How many of the test-wide indices [0, n) are this chain's. */
  count(n: number): number {
    let c = n;
    for (const level of this.#levels) c = level.count(c);
    return c;
  }

  /** Index within this process (all levels but the first) of this chain's `local`-th index. */
  instanceIndex(local: number): number {
    let g = local;
    for (let i = this.#levels.length - 1; i >= 1; i--) g = this.#levels[i]!.globalIndex(g);
    return g;
  }

  /** Test-wide index of this chain's `local`-th index. */
  globalIndex(local: number): number {
    let g = local;
    for (let i = this.#levels.length - 1; i >= 0; i--) g = this.#levels[i]!.globalIndex(g);
    return g;
  }
}
