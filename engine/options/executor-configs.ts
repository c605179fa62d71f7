/**
 * Each executor's config, as k6's executor configs `Validate()` theirs: its parameters read,
 * checked and given k6's defaults, one function per executor. The parameter names were checked
 * before (scenarios.ts); the checks here run in the order the parameters are listed, so the first
 * mistake is the one reported.
 */
import { duration, integer, invalid, isPlainObject, didYouMean, nonNegativeNumber, show, type Where } from './checks.js';
import type { ExecutorName, ResolvedScenario, ResolvedScenarioCommon, ResolvedStage } from './types.js';

/** k6 defaults shared by executors. */
export const SCENARIO_DEFAULTS = {
  gracefulStopMs: 30_000,
  gracefulRampDownMs: 30_000,
  maxDurationMs: 600_000,
  timeUnitMs: 1000,
  startTimeMs: 0,
  exec: 'default',
} as const;

/** One scenario's raw parameters: null reads as absent, and every error names the parameter and its source. */
export class ScenarioParams {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly where: { at(param: string): Where },
    readonly executor: ExecutorName,
  ) {}

  at(k: string): Where {
    return this.where.at(k);
  }

  value(k: string): unknown {
    return this.raw[k] === null ? undefined : this.raw[k];
  }

  required(k: string, what: string): unknown {
    const v = this.value(k);
    if (v === undefined) throw invalid(this.at(k), `required for ${this.executor} (${what})`);
    return v;
  }

  /** An integer of at least `min` (default 0); `dflt` when absent. */
  integer(k: string, dflt: number, min?: number): number {
    const v = this.value(k);
    return v === undefined ? dflt : integer(v, this.at(k), min);
  }

  /** A duration in ms (`positive`: above 0); `dflt` when absent. */
  durationMs(k: string, dflt: number, positive?: boolean): number {
    const v = this.value(k);
    return v === undefined ? dflt : duration(v, this.at(k), positive);
  }
}

function stages(v: unknown, w: Where, integerTargets: boolean): ResolvedStage[] {
  if (!Array.isArray(v)) throw invalid(w, `must be a list of { duration, target }, got ${show(v)}`);
  if (v.length === 0) throw invalid(w, 'needs at least one stage');
  const out = v.map((s: unknown, i): ResolvedStage => {
    const sw = { ...w, path: `${w.path}[${i}]` };
    const at = (k: string): Where => ({ ...sw, path: `${sw.path}.${k}` });
    if (!isPlainObject(s)) throw invalid(sw, `must be { duration, target }, got ${show(s)}`);
    for (const k of Object.keys(s)) {
      if (k !== 'duration' && k !== 'target') throw invalid(at(k), `is not a stage field (a stage is { duration, target })${didYouMean(k, ['duration', 'target'])}`);
    }
    if (s.duration === undefined || s.duration === null) throw invalid(at('duration'), 'required');
    if (s.target === undefined || s.target === null) throw invalid(at('target'), 'required');
    return {
      durationMs: duration(s.duration, at('duration')),
      target: integerTargets ? integer(s.target, at('target')) : nonNegativeNumber(s.target, at('target')),
    };
  });
  if (out.every((s) => s.durationMs === 0)) throw invalid(w, 'the stages last 0s in total; give at least one stage a duration');
  return out;
}

const requiredStages = (p: ScenarioParams, integerTargets: boolean): ResolvedStage[] =>
  stages(p.required('stages', 'a list of { duration, target }'), p.at('stages'), integerTargets);

const maxDurationMs = (p: ScenarioParams): number => p.durationMs('maxDuration', SCENARIO_DEFAULTS.maxDurationMs, true);

function sharedIterations(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const vus = p.integer('vus', 1, 1);
  const iterations = p.integer('iterations', 1, 1);
  if (iterations < vus) {
    throw invalid(p.at('iterations'), `${iterations} is fewer than vus (${vus}): shared-iterations needs at least one iteration per VU`);
  }
  return { ...common, executor: 'shared-iterations', vus, iterations, maxDurationMs: maxDurationMs(p) };
}

function perVuIterations(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const vus = p.integer('vus', 1, 1);
  const iterations = p.integer('iterations', 1, 1);
  return { ...common, executor: 'per-vu-iterations', vus, iterations, maxDurationMs: maxDurationMs(p) };
}

function constantVus(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const vus = p.integer('vus', 1, 1);
  const durationMs = duration(p.required('duration', 'how long the VUs loop, e.g. 30s'), p.at('duration'), true);
  return { ...common, executor: 'constant-vus', vus, durationMs };
}

function rampingVus(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const startVUs = p.integer('startVUs', 1);
  const resolvedStages = requiredStages(p, true);
  if (Math.max(startVUs, ...resolvedStages.map((s) => s.target)) <= 0) {
    throw invalid(p.at('stages'), 'either startVUs or one of the stage targets must be above 0');
  }
  const gracefulRampDownMs = p.durationMs('gracefulRampDown', SCENARIO_DEFAULTS.gracefulRampDownMs);
  return { ...common, executor: 'ramping-vus', startVUs, stages: resolvedStages, gracefulRampDownMs };
}

/** preAllocatedVUs and maxVUs of the arrival-rate executors. */
function arrivalVUs(p: ScenarioParams): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = integer(p.required('preAllocatedVUs', 'VUs created before the start'), p.at('preAllocatedVUs'));
  const maxVUs = p.integer('maxVUs', preAllocatedVUs);
  if (preAllocatedVUs > maxVUs) throw invalid(p.at('preAllocatedVUs'), `${preAllocatedVUs} exceeds maxVUs (${maxVUs})`);
  if (maxVUs === 0) throw invalid(p.at('maxVUs'), 'must be at least 1 (with preAllocatedVUs and maxVUs both 0, no iteration can start)');
  return { preAllocatedVUs, maxVUs };
}

const timeUnitMs = (p: ScenarioParams): number => p.durationMs('timeUnit', SCENARIO_DEFAULTS.timeUnitMs, true);

function constantArrivalRate(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const unitMs = timeUnitMs(p);
  const rate = nonNegativeNumber(p.required('rate', 'iterations started per timeUnit'), p.at('rate'), true);
  const durationMs = duration(p.required('duration', 'e.g. 1m'), p.at('duration'), true);
  const { preAllocatedVUs, maxVUs } = arrivalVUs(p);
  return { ...common, executor: 'constant-arrival-rate', rate, timeUnitMs: unitMs, durationMs, preAllocatedVUs, maxVUs };
}

function rampingArrivalRate(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const unitMs = timeUnitMs(p);
  const startRate = p.value('startRate') === undefined ? 0 : nonNegativeNumber(p.value('startRate'), p.at('startRate'));
  const resolvedStages = requiredStages(p, false);
  const { preAllocatedVUs, maxVUs } = arrivalVUs(p);
  return { ...common, executor: 'ramping-arrival-rate', startRate, timeUnitMs: unitMs, stages: resolvedStages, preAllocatedVUs, maxVUs };
}

function externallyControlled(p: ScenarioParams, common: ResolvedScenarioCommon): ResolvedScenario {
  const vus = p.integer('vus', 0);
  const maxVUs = p.integer('maxVUs', vus);
  if (vus > maxVUs) throw invalid(p.at('vus'), `${vus} exceeds maxVUs (${maxVUs})`);
  const durationMs = duration(p.required('duration', 'e.g. 10m; loadts has no open-ended duration'), p.at('duration'));
  if (durationMs === 0) throw invalid(p.at('duration'), 'must be longer than 0s (k6 reads 0 as "run until stopped"; loadts needs an end, e.g. 1h, and stops early on Ctrl-C)');
  return { ...common, executor: 'externally-controlled', vus, maxVUs, durationMs };
}

/** Each executor's config: its own parameters, validated and defaulted, added to the common fields. */
export const EXECUTOR_CONFIGS: Readonly<Record<ExecutorName, (p: ScenarioParams, common: ResolvedScenarioCommon) => ResolvedScenario>> = {
  'shared-iterations': sharedIterations,
  'per-vu-iterations': perVuIterations,
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'externally-controlled': externallyControlled,
};
