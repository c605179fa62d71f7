import jStat from 'jstat';

/** Wilson's score interval of a proportion of `passes` in `n` (z: the normal quantile). */
function wilson(passes: number, n: number, z: number): [number, number] {
  const p = passes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The interval of the difference of two proportions (p2 − p1) by Newcombe's hybrid score method
 * (Newcombe 1998, method 10), from each one's Wilson interval: sound for small counts and for rates
 * near 0 or 1, where the textbook normal interval fails (an error rate of 0 in both runs).
 */
export function proportionDifference(passes1: number, n1: number, passes2: number, n2: number, confidence: number): { difference: number; interval: [number, number] } | undefined {
  if (n1 === 0 || n2 === 0) return undefined;
  const z = jStat.normal.inv((1 + confidence) / 2, 0, 1);
  const p1 = passes1 / n1;
  const p2 = passes2 / n2;
  const [l1, u1] = wilson(passes1, n1, z);
  const [l2, u2] = wilson(passes2, n2, z);
  const d = p2 - p1;
  return { difference: d, interval: [d - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)] };
}
