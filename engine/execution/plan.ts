import type { ExecutorName, ResolvedScenario } from '../options/types.js';
import { Ramp } from './ramp.js';
import { SegmentChain } from './segment.js';

/**
 * What one scenario will do in one share of the test (a worker, a process, or the whole test):
 * known before the run starts, so VUs are allocated up front and `loadts inspect` can print it.
 * A pure function of the scenario's config and its execution segment.
 */
export interface ScenarioPlan {
  readonly name: string;
  readonly executor: ExecutorName;
  readonly startTimeMs: number;
  /** Scheduled duration, without the graceful stop (maxDuration for iteration-based executors). */
  readonly durationMs: number;
  readonly gracefulStopMs: number;
  /** VUs created when the scenario starts. */
  readonly initialVUs: number;
  /** The most VUs it may use. */
  readonly maxVUs: number;
  /** Iterations it will run, when known in advance (iteration-based and arrival-rate executors). */
  readonly iterations: number | undefined;
}

/** Iterations per ms of an arrival-rate scenario as a ramp (constant rate = a single flat stage). */
export function arrivalRamp(s: ResolvedScenario): Ramp {
  if (s.executor === 'constant-arrival-rate') {
    const perMs = s.rate / s.timeUnitMs;
    return new Ramp(perMs, [{ durationMs: s.durationMs, target: perMs }]);
  }
  if (s.executor === 'ramping-arrival-rate') {
    return new Ramp(
      s.startRate / s.timeUnitMs,
      s.stages.map((st) => ({ durationMs: st.durationMs, target: st.target / s.timeUnitMs })),
    );
  }
  throw new Error(`${s.executor} is not an arrival-rate executor`);
}

/**
 * Number of iterations an arrival-rate ramp schedules: iteration i starts when the area under the
 * rate curve reaches i, for every start strictly before the end.
 */
export function scheduledIterations(ramp: Ramp): number {
  const total = ramp.areaAt(ramp.durationMs);
  const n = Math.ceil(total - 1e-9);
  return Math.max(n, 0);
}

/** The plan of `s` for the share `seg` of the test (SegmentChain.WHOLE for the whole test). */
export function planScenario(s: ResolvedScenario, seg: SegmentChain = SegmentChain.WHOLE): ScenarioPlan {
  const base = { name: s.name, executor: s.executor, startTimeMs: s.startTimeMs, gracefulStopMs: s.gracefulStopMs };
  switch (s.executor) {
    case 'shared-iterations': {
      const vus = Math.min(seg.count(s.vus), seg.count(s.iterations));
      return { ...base, durationMs: s.maxDurationMs, initialVUs: vus, maxVUs: vus, iterations: seg.count(s.iterations) };
    }
    case 'per-vu-iterations': {
      const vus = seg.count(s.vus);
      return { ...base, durationMs: s.maxDurationMs, initialVUs: vus, maxVUs: vus, iterations: vus * s.iterations };
    }
    case 'constant-vus': {
      const vus = seg.count(s.vus);
      return { ...base, durationMs: s.durationMs, initialVUs: vus, maxVUs: vus, iterations: undefined };
    }
    case 'ramping-vus': {
      const ramp = new Ramp(s.startVUs, s.stages);
      const peak = Math.max(s.startVUs, ...s.stages.map((st) => st.target));
      return {
        ...base,
        durationMs: ramp.durationMs,
        initialVUs: seg.count(peak),
        maxVUs: seg.count(peak),
        iterations: undefined,
      };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const ramp = arrivalRamp(s);
      return {
        ...base,
        durationMs: ramp.durationMs,
        initialVUs: seg.count(s.preAllocatedVUs),
        maxVUs: seg.count(s.maxVUs),
        iterations: seg.count(scheduledIterations(ramp)),
      };
    }
    case 'externally-controlled':
      return {
        ...base,
        durationMs: s.durationMs,
        initialVUs: seg.count(s.vus),
        maxVUs: seg.count(s.maxVUs),
        iterations: undefined,
      };
  }
}

/** End of the whole test (last scenario end incl. graceful stop), ms from test start. */
export function testDurationMs(plans: readonly ScenarioPlan[]): number {
  let end = 0;
  for (const p of plans) end = Math.max(end, p.startTimeMs + p.durationMs + p.gracefulStopMs);
  return end;
}

/** One line describing a scenario's plan, for progress and inspect. */
export function describePlan(p: ScenarioPlan): string {
  const secs = (ms: number) => `${Math.round(ms / 100) / 10}s`;
  const iters = p.iterations !== undefined ? `${p.iterations} iterations, ` : '';
  return `${iters}${p.maxVUs} max VUs, ${secs(p.durationMs)} (+${secs(p.gracefulStopMs)} graceful stop)`;
}
