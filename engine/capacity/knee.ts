/** A point of the latency curve: load offered and the latency measured there. */
export interface CurvePoint {
  load: number;
  latencyMs: number;
}

/** The knee of a latency curve, and how it was found. */
export interface Knee {
  load: number;
  latencyMs: number;
  /** Kneedle's normalised distance below the chord at the knee, 0..1 (larger: a sharper bend). */
  strength: number;
}

/** Latency must grow by at least this factor over the tested range for a knee to exist. */
export const MIN_RISE = 1.5;

/**
 * The knee of the latency-versus-load curve by Kneedle (Satopää, Albrecht, Irwin, Raghavan, 2011,
 * "Finding a 'Kneedle' in a Haystack"): loads and latencies are normalised to [0, 1]; a latency
 * curve is convex and increasing, so it lies below the chord from its first to its last point, and
 * the knee is the point farthest below it (the largest x − y): the last load before latency climbs.
 * Points with the same load are averaged. No knee when there are fewer than 3 loads, when latency
 * rose less than MIN_RISE× over the range (a flat curve's bends are noise), or when no point lies
 * below the chord (latency climbed from the start).
 */
export function findKnee(points: readonly CurvePoint[]): Knee | undefined {
  const byLoad = new Map<number, number[]>();
  for (const p of points) if (Number.isFinite(p.latencyMs)) byLoad.set(p.load, [...(byLoad.get(p.load) ?? []), p.latencyMs]);
  const curve = [...byLoad.entries()].map(([load, ys]) => ({ load, latencyMs: ys.reduce((a, b) => a + b, 0) / ys.length })).sort((a, b) => a.load - b.load);
  if (curve.length < 3) return undefined;
  const x0 = curve[0]!.load;
  const x1 = curve[curve.length - 1]!.load;
  const ys = curve.map((p) => p.latencyMs);
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  if (x1 <= x0 || yMax < MIN_RISE * Math.max(yMin, 1e-9)) return undefined;
  let best: Knee | undefined;
  for (const p of curve.slice(1, -1)) {
    const d = (p.load - x0) / (x1 - x0) - (p.latencyMs - yMin) / (yMax - yMin);
    if (d > 0 && (best === undefined || d > best.strength)) best = { load: p.load, latencyMs: p.latencyMs, strength: d };
  }
  return best;
}
