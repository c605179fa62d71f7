import type { ResolvedStage } from '../options/types.js';

/**
 * A piecewise-linear curve: `start` at t=0, then each stage moves linearly to its target over its
 * duration (k6's stages). Used for ramping VUs (value = VUs) and ramping arrival rate
 * (value = iterations per ms).
 */
export class Ramp {
  readonly start: number;
  readonly stages: readonly ResolvedStage[];
  /** Stage start times; ends[i] = end of stage i. */
  readonly #ends: number[] = [];
  /** Area under the curve at the end of each stage. */
  readonly #areas: number[] = [];

  constructor(start: number, stages: readonly ResolvedStage[]) {
    this.start = start;
    this.stages = stages;
    let t = 0;
    let area = 0;
    let from = start;
    for (const s of stages) {
      area += ((from + s.target) / 2) * s.durationMs;
      t += s.durationMs;
      this.#ends.push(t);
      this.#areas.push(area);
      from = s.target;
    }
  }

  /** Total duration of all stages, ms. */
  get durationMs(): number {
    return this.#ends[this.#ends.length - 1] ?? 0;
  }

  /** Start time of stage `i`, ms. */
  stageStartMs(i: number): number {
    return i <= 0 ? 0 : (this.#ends[i - 1] ?? this.durationMs);
  }

  /** Index of the stage that contains `tMs` (the last stage after the end). */
  stageAt(tMs: number): number {
    for (let i = 0; i < this.#ends.length; i++) if (tMs < this.#ends[i]!) return i;
    return Math.max(this.#ends.length - 1, 0);
  }

  /** Curve value at `tMs` (the last target after the end). */
  valueAt(tMs: number): number {
    let from = this.start;
    let t0 = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i]!;
      const t1 = this.#ends[i]!;
      if (tMs < t1) return s.durationMs === 0 ? s.target : from + ((s.target - from) * (tMs - t0)) / s.durationMs;
      from = s.target;
      t0 = t1;
    }
    return from;
  }

  /**
   * The stage in which the area under the curve reaches `area`, with stage i covering areas
   * [end of stage i-1, end of stage i): arrival-rate iteration n belongs to stageForArea(n), and
   * an iteration due exactly at a boundary to the stage that starts there.
   */
  stageForArea(area: number): number {
    for (let i = 0; i < this.#areas.length; i++) {
      const end = this.#areas[i]!;
      if (area < end - 1e-9 * Math.max(1, end)) return i;
    }
    return Math.max(this.#areas.length - 1, 0);
  }

  /** ∫ value dt from 0 to min(tMs, end). */
  areaAt(tMs: number): number {
    let from = this.start;
    let t0 = 0;
    let area = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i]!;
      const t1 = this.#ends[i]!;
      if (tMs < t1) {
        const dt = tMs - t0;
        const v = from + ((s.target - from) * dt) / s.durationMs;
        return area + ((from + v) / 2) * dt;
      }
      area = this.#areas[i]!;
      from = s.target;
      t0 = t1;
    }
    return area;
  }

  /** Earliest t with areaAt(t) = `area`, or Infinity when the curve never accumulates that much. */
  timeForArea(area: number): number {
    let from = this.start;
    let t0 = 0;
    let before = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i]!;
      const after = this.#areas[i]!;
      if (area <= after && s.durationMs > 0 && after > before) {
        // Solve before + from·dt + slope·dt²/2 = area for dt in [0, duration].
        const need = area - before;
        const slope = (s.target - from) / s.durationMs;
        let dt: number;
        if (Math.abs(slope) < 1e-15) dt = need / from;
        else {
          const disc = from * from + 2 * slope * need;
          dt = (-from + Math.sqrt(Math.max(disc, 0))) / slope;
        }
        return t0 + Math.min(Math.max(dt, 0), s.durationMs);
      }
      before = after;
      from = s.target;
      t0 = this.#ends[i]!;
    }
    return Number.POSITIVE_INFINITY;
  }
}
