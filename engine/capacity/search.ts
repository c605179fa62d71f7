/** How a level turned out, for the search. */
export type LevelOutcome = 'pass' | 'fail' | 'generator-bound';

/** The search's settings (docs/capacity.md). */
export interface SearchSettings {
  /** The first load (iterations/s, or VUs in the closed model). */
  start: number;
  /** Each growth step multiplies the load by this (> 1). */
  growth: number;
  /** Bisection stops once (first failing − highest passing) ≤ precision × highest passing. */
  precision: number;
  /** The search never offers more than this. */
  max: number;
  /** The search never runs more levels than this. */
  maxLevels: number;
  /** Loads are whole numbers (VUs). */
  integer: boolean;
}

/**
 * found: the highest passing and the lowest failing load are within the precision;
 * generator-bound: a level failed because the generator, not the target, ran out (capacity ≥ the highest pass);
 * max-reached: the largest load allowed passed (capacity ≥ max); none-passed: even the smallest load failed;
 * max-levels: the level budget ran out before the precision was reached; stopped: the run was stopped.
 */
export type SearchEnd = 'found' | 'generator-bound' | 'max-reached' | 'none-passed' | 'max-levels' | 'stopped';

/**
 * The capacity search: geometric growth from `start` until a level fails, then bisection between
 * the highest passing and the lowest failing load until they are within `precision` of each other.
 * A first level that fails makes it shrink geometrically instead, down to the smallest load (1).
 * A generator-bound level ends the search: nothing above it can be measured from this generator.
 */
export class CapacitySearch {
  #pass: number | undefined;
  #fail: number | undefined;
  #last: number | undefined;
  #levels = 0;
  #end: SearchEnd | undefined;

  constructor(readonly settings: SearchSettings) {}

  /** The next load to offer, or undefined when the search is over. */
  next(): number | undefined {
    if (this.#end !== undefined) return undefined;
    if (this.#levels >= this.settings.maxLevels) return this.#finish('max-levels');
    const { start, growth, max, precision, integer } = this.settings;
    const pass = this.#pass;
    const fail = this.#fail;
    if (this.#last === undefined) return this.#offer(Math.min(start, max));
    if (fail === undefined) {
      if (pass! >= max) return this.#finish('max-reached');
      return this.#offer(Math.min(this.#nice(pass! * growth), max));
    }
    if (pass === undefined) {
      const lower = this.#nice(fail / growth);
      if (fail <= 1 || lower < (integer ? 1 : 0.1)) return this.#finish('none-passed');
      return this.#offer(lower);
    }
    if (fail - pass <= precision * pass || (integer && fail - pass <= 1)) return this.#finish('found');
    const mid = this.#nice((pass + fail) / 2);
    if (mid <= pass || mid >= fail) return this.#finish('found');
    return this.#offer(mid);
  }

  /** Records the outcome of the load last offered. */
  record(outcome: LevelOutcome): void {
    const load = this.#last!;
    if (outcome === 'generator-bound') this.#end = 'generator-bound';
    else if (outcome === 'pass') this.#pass = Math.max(this.#pass ?? load, load);
    else this.#fail = Math.min(this.#fail ?? load, load);
  }

  /** Ends the search early (the run was stopped, or a level could not run). */
  stop(): void {
    this.#end ??= 'stopped';
  }

  /** How the search ended, the highest passing and the lowest failing load. */
  result(): { end: SearchEnd | undefined; maxPassing: number | undefined; minFailing: number | undefined } {
    return { end: this.#end, maxPassing: this.#pass, minFailing: this.#fail };
  }

  #offer(load: number): number {
    this.#levels++;
    this.#last = load;
    return load;
  }

  #finish(end: SearchEnd): undefined {
    this.#end = end;
    return undefined;
  }

  /** Whole VUs; rates to 3 significant digits (at least 0.1/s), so the table reads well. */
  #nice(v: number): number {
    if (this.settings.integer) return Math.max(1, Math.round(v));
    const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.max(v, 0.1))));
    const f = 10 ** Math.min(digits, 1);
    return Math.max(0.1, Math.round(v * f) / f);
  }
}
