import { LoadtsError } from '../errors.js';
import { describe, didYouMean, duration, integer, invalid, isPlainObject, nonNegativeNumber, show, stringMap, type Where } from './checks.js';
import type { ExecutorName, ResolvedScenario, ResolvedStage } from './types.js';

/** k6's executors, in the order k6's docs list them. */
export const EXECUTORS: readonly ExecutorName[] = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'externally-controlled',
];

/** Names k6 used before v0.27, with what they became. */
const RENAMED: Readonly<Record<string, ExecutorName>> = {
  'constant-looping-vus': 'constant-vus',
  'variable-looping-vus': 'ramping-vus',
  'variable-arrival-rate': 'ramping-arrival-rate',
  'manual-execution': 'externally-controlled',
};

const COMMON_PARAMS = ['executor', 'startTime', 'gracefulStop', 'exec', 'env', 'tags'] as const;

/** Each executor's own parameters (k6 rejects any other key in a scenario). */
export const EXECUTOR_PARAMS: Readonly<Record<ExecutorName, readonly string[]>> = {
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  'externally-controlled': ['vus', 'maxVUs', 'duration'],
};

/** k6 defaults shared by executors. */
export const SCENARIO_DEFAULTS = {
  gracefulStopMs: 30_000,
  gracefulRampDownMs: 30_000,
  maxDurationMs: 600_000,
  timeUnitMs: 1000,
  startTimeMs: 0,
  exec: 'default',
} as const;

/** How to resolve one scenario: where its parameters sit, and what the script exports. */
export interface ScenarioContext {
  /** Path and source of a parameter ('scenarios.api.rate (script)', or 'vus (command line)' for shortcuts). */
  at(param: string): Where;
  /** The scenario as a whole, e.g. 'scenarios.api'. */
  self: Where;
  /** True for the 'default' scenario that vus/duration/iterations/stages describe. */
  fromShortcuts: boolean;
  /** The script's exported function names; when given, `exec` must be one of them. */
  exported: ReadonlySet<string> | undefined;
  warnings: string[];
}

const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

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

function executorOf(raw: Record<string, unknown>, ctx: ScenarioContext): ExecutorName {
  const e = raw.executor;
  if (e === undefined || e === null) throw invalid(ctx.at('executor'), `required (one of ${EXECUTORS.join(', ')})`);
  if (typeof e === 'string' && (EXECUTORS as readonly string[]).includes(e)) return e as ExecutorName;
  const renamed = typeof e === 'string' ? RENAMED[e] : undefined;
  if (renamed) throw invalid(ctx.at('executor'), `"${String(e)}" was renamed "${renamed}" in k6 v0.27`);
  const hint = typeof e === 'string' ? didYouMean(e, EXECUTORS, '', 2) : '';
  throw invalid(ctx.at('executor'), `unknown executor ${show(e)}${hint} (expected one of ${EXECUTORS.join(', ')})`);
}

function execOf(raw: Record<string, unknown>, ctx: ScenarioContext): string {
  const exec = raw.exec === undefined || raw.exec === null ? SCENARIO_DEFAULTS.exec : raw.exec;
  if (typeof exec !== 'string' || exec.trim() === '') throw invalid(ctx.at('exec'), `must be the name of an exported function, got ${show(exec)}`);
  const exported = ctx.exported;
  if (exported === undefined || exported.has(exec)) return exec;
  const others = [...exported].filter((f) => !['setup', 'teardown', 'handleSummary'].includes(f));
  if (ctx.fromShortcuts) {
    throw new LoadtsError(
      'INVALID_SCENARIO',
      'invalid script: it has no default export function, which the default scenario runs; add "export default async function () { ... }" or define scenarios with exec',
    );
  }
  if (exec === SCENARIO_DEFAULTS.exec) {
    throw invalid(ctx.at('exec'), `not set, and the script has no default export function; set exec to one of its exported functions${others.length ? ` (${others.join(', ')})` : ''}`);
  }
  throw invalid(ctx.at('exec'), `the script does not export a function named "${exec}"${didYouMean(exec, others)}`);
}

/**
 * Validates one scenario as k6's executor configs do (`Validate()` of each) and fills in k6's
 * defaults. Throws one LoadtsError for the first mistake, naming the parameter and its source.
 */
export function resolveScenario(name: string, raw: unknown, ctx: ScenarioContext): ResolvedScenario {
  if (!SCENARIO_NAME.test(name)) throw invalid(ctx.self, 'scenario names may contain only latin letters, digits, _ and -');
  if (!isPlainObject(raw)) throw invalid(ctx.self, `must be an object with an executor, got ${show(raw)}`);
  const executor = executorOf(raw, ctx);
  const params = EXECUTOR_PARAMS[executor];
  for (const k of Object.keys(raw)) {
    if ((COMMON_PARAMS as readonly string[]).includes(k) || params.includes(k)) continue;
    if (k === 'options') {
      ctx.warnings.push(`${describe(ctx.at(k))} holds k6 browser settings, which loadts does not support; ignored`);
      continue;
    }
    const all = [...params, ...COMMON_PARAMS];
    const other = EXECUTORS.find((e) => EXECUTOR_PARAMS[e].includes(k));
    const hint = didYouMean(k, all) || (other ? ` (${k} belongs to ${other})` : '');
    throw invalid(ctx.at(k), `is not a parameter of ${executor}${hint}; it takes ${params.join(', ')}, and startTime, gracefulStop, exec, env, tags`);
  }
  const value = (k: string): unknown => (raw[k] === null ? undefined : raw[k]);
  const required = (k: string, what: string): unknown => {
    const v = value(k);
    if (v === undefined) throw invalid(ctx.at(k), `required for ${executor} (${what})`);
    return v;
  };
  const common = {
    name,
    startTimeMs: value('startTime') === undefined ? SCENARIO_DEFAULTS.startTimeMs : duration(value('startTime'), ctx.at('startTime')),
    // k6 rejects gracefulStop for externally-controlled (its iterations stop at the end); loadts
    // gives every executor the same graceful stop, so a config may set it on all scenarios.
    gracefulStopMs: value('gracefulStop') === undefined ? SCENARIO_DEFAULTS.gracefulStopMs : duration(value('gracefulStop'), ctx.at('gracefulStop')),
    exec: execOf(raw, ctx),
    env: stringMap(value('env'), ctx.at('env')),
    tags: stringMap(value('tags'), ctx.at('tags')),
  };
  const maxDurationMs = (): number =>
    value('maxDuration') === undefined ? SCENARIO_DEFAULTS.maxDurationMs : duration(value('maxDuration'), ctx.at('maxDuration'), true);

  switch (executor) {
    case 'shared-iterations': {
      const vus = value('vus') === undefined ? 1 : integer(value('vus'), ctx.at('vus'), 1);
      const iterations = value('iterations') === undefined ? 1 : integer(value('iterations'), ctx.at('iterations'), 1);
      if (iterations < vus) {
        throw invalid(ctx.at('iterations'), `${iterations} is fewer than vus (${vus}): shared-iterations needs at least one iteration per VU`);
      }
      return { ...common, executor, vus, iterations, maxDurationMs: maxDurationMs() };
    }
    case 'per-vu-iterations': {
      const vus = value('vus') === undefined ? 1 : integer(value('vus'), ctx.at('vus'), 1);
      const iterations = value('iterations') === undefined ? 1 : integer(value('iterations'), ctx.at('iterations'), 1);
      return { ...common, executor, vus, iterations, maxDurationMs: maxDurationMs() };
    }
    case 'constant-vus': {
      const vus = value('vus') === undefined ? 1 : integer(value('vus'), ctx.at('vus'), 1);
      const durationMs = duration(required('duration', 'how long the VUs loop, e.g. 30s'), ctx.at('duration'), true);
      return { ...common, executor, vus, durationMs };
    }
    case 'ramping-vus': {
      const startVUs = value('startVUs') === undefined ? 1 : integer(value('startVUs'), ctx.at('startVUs'));
      const resolvedStages = stages(required('stages', 'a list of { duration, target }'), ctx.at('stages'), true);
      if (Math.max(startVUs, ...resolvedStages.map((s) => s.target)) <= 0) {
        throw invalid(ctx.at('stages'), 'either startVUs or one of the stage targets must be above 0');
      }
      const gracefulRampDownMs =
        value('gracefulRampDown') === undefined ? SCENARIO_DEFAULTS.gracefulRampDownMs : duration(value('gracefulRampDown'), ctx.at('gracefulRampDown'));
      return { ...common, executor, startVUs, stages: resolvedStages, gracefulRampDownMs };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const timeUnitMs = value('timeUnit') === undefined ? SCENARIO_DEFAULTS.timeUnitMs : duration(value('timeUnit'), ctx.at('timeUnit'), true);
      const rate =
        executor === 'constant-arrival-rate' ? nonNegativeNumber(required('rate', 'iterations started per timeUnit'), ctx.at('rate'), true) : undefined;
      const startRate = value('startRate') === undefined ? 0 : nonNegativeNumber(value('startRate'), ctx.at('startRate'));
      const durationMs = executor === 'constant-arrival-rate' ? duration(required('duration', 'e.g. 1m'), ctx.at('duration'), true) : 0;
      const resolvedStages = executor === 'ramping-arrival-rate' ? stages(required('stages', 'a list of { duration, target }'), ctx.at('stages'), false) : [];
      const preAllocatedVUs = integer(required('preAllocatedVUs', 'VUs created before the start'), ctx.at('preAllocatedVUs'));
      const maxVUs = value('maxVUs') === undefined ? preAllocatedVUs : integer(value('maxVUs'), ctx.at('maxVUs'));
      if (preAllocatedVUs > maxVUs) throw invalid(ctx.at('preAllocatedVUs'), `${preAllocatedVUs} exceeds maxVUs (${maxVUs})`);
      if (maxVUs === 0) throw invalid(ctx.at('maxVUs'), 'must be at least 1 (with preAllocatedVUs and maxVUs both 0, no iteration can start)');
      if (executor === 'constant-arrival-rate') {
        return { ...common, executor, rate: rate ?? 0, timeUnitMs, durationMs, preAllocatedVUs, maxVUs };
      }
      return { ...common, executor, startRate, timeUnitMs, stages: resolvedStages, preAllocatedVUs, maxVUs };
    }
    case 'externally-controlled': {
      const vus = value('vus') === undefined ? 0 : integer(value('vus'), ctx.at('vus'));
      const maxVUs = value('maxVUs') === undefined ? vus : integer(value('maxVUs'), ctx.at('maxVUs'));
      if (vus > maxVUs) throw invalid(ctx.at('vus'), `${vus} exceeds maxVUs (${maxVUs})`);
      const durationMs = duration(required('duration', 'e.g. 10m; loadts has no open-ended duration'), ctx.at('duration'));
      if (durationMs === 0) throw invalid(ctx.at('duration'), 'must be longer than 0s (k6 reads 0 as "run until stopped"; loadts needs an end, e.g. 1h, and stops early on Ctrl-C)');
      return { ...common, executor, vus, maxVUs, durationMs };
    }
  }
}

/** Scenarios as written: `scenarios` in options. */
export function resolveScenarioMap(
  map: unknown,
  w: Where,
  exported: ReadonlySet<string> | undefined,
  warnings: string[],
): ResolvedScenario[] {
  if (!isPlainObject(map)) throw invalid(w, `must be an object of name → scenario, got ${show(map)}`);
  return Object.entries(map)
    .filter(([, s]) => s !== undefined)
    .map(([name, s]) => {
      const self: Where = { path: `${w.path}.${name}`, source: w.source, code: 'INVALID_SCENARIO' };
      return resolveScenario(name, s, {
        at: (param) => ({ ...self, path: `${self.path}.${param}` }),
        self,
        fromShortcuts: false,
        exported,
        warnings,
      });
    });
}
