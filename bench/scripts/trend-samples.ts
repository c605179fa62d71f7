// Trend memory: one iteration adds SAMPLES values to one Trend; RSS should not grow with SAMPLES.
import { Trend } from 'loadts/metrics';
const t = new Trend('bench_samples', true);
export const options = { iterations: 1, vus: 1 };
export default async function () {
  const n = Number(__ENV.SAMPLES ?? 1_000_000);
  for (let i = 0; i < n; i++) t.add((i % 10_000) / 10 + 0.5);
}
