import type { MetricsAggregate } from '../metrics/aggregate.js';
import type { ResolvedScenario } from '../options/types.js';
import { stageResults } from '../runtime/stage-results.js';
import type { ThresholdOutcome } from '../thresholds/thresholds.js';
import type { LiveState } from './events.js';

/**
 * The live page's tables at one tick: every check so far, the per-stage rows of the stages done
 * (from the merged intervals; VUs are the most the vus gauge showed in the stage, the end event
 * brings the record's exact rows), and each threshold's value so far.
 */
export function liveState(
  total: MetricsAggregate,
  scenarios: readonly ResolvedScenario[],
  outcomes: readonly ThresholdOutcome[],
  loadStartedAtMs: number | undefined,
  nowMs: number,
  vusTrail: ReadonlyArray<{ atMs: number; vus: number }>,
): LiveState {
  return {
    checks: checksSoFar(total),
    stages: loadStartedAtMs === undefined ? [] : stagesDone(total, scenarios, loadStartedAtMs, nowMs, vusTrail),
    thresholdValues: outcomes.map((o) => o.observed ?? null),
  };
}

function checksSoFar(total: MetricsAggregate): LiveState['checks'] {
  const byPath = new Map<string, LiveState['checks'][number]>();
  for (const s of total.series('checks')) {
    const name = s.tags.check ?? '';
    const group = s.tags.group ?? '';
    const key = `${group}\u0000${name}`;
    const v = s.values([], 0);
    const c = byPath.get(key) ?? { name, group, passes: 0, fails: 0 };
    c.passes += v.passes ?? 0;
    c.fails += v.fails ?? 0;
    byPath.set(key, c);
  }
  return [...byPath.values()];
}

/** Rows of the stages that ended by `nowMs`. */
function stagesDone(
  total: MetricsAggregate,
  scenarios: readonly ResolvedScenario[],
  loadStartedAtMs: number,
  nowMs: number,
  vusTrail: ReadonlyArray<{ atMs: number; vus: number }>,
): LiveState['stages'] {
  const windows = new Map<string, [number, number]>();
  for (const s of scenarios) {
    if (s.executor !== 'ramping-vus' && s.executor !== 'ramping-arrival-rate') continue;
    let end = loadStartedAtMs + s.startTimeMs;
    s.stages.forEach((st, i) => {
      windows.set(`${s.name}/${i}`, [end, end + st.durationMs]);
      end += st.durationMs;
    });
  }
  const maxVus = (scenario: string, stage: number): number => {
    const [from, to] = windows.get(`${scenario}/${stage}`) ?? [0, 0];
    let max = 0;
    for (const p of vusTrail) if (p.atMs > from && p.atMs <= to + 1000) max = Math.max(max, p.vus);
    return max;
  };
  return stageResults(total, scenarios, nowMs - loadStartedAtMs, maxVus).filter((r) => (windows.get(`${r.scenario}/${r.stage}`)?.[1] ?? Infinity) <= nowMs);
}
