import { LoadtsError } from '../errors.js';
import { describe, didYouMean, invalid, isPlainObject, show, stringMap, type Where } from './checks.js';
import { EXECUTOR_CONFIGS, SCENARIO_DEFAULTS, ScenarioParams } from './executor-configs.js';
import type { ExecutorName, ResolvedScenario, ResolvedScenarioCommon } from './types.js';

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

/** Refuses a parameter that is neither common nor the executor's own (k6 rejects them too); `options` (k6 browser) is only a warning. */
function checkParamNames(raw: Record<string, unknown>, executor: ExecutorName, ctx: ScenarioContext): void {
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
}

/** The parameters every executor takes, defaulted. */
function commonFields(name: string, raw: Record<string, unknown>, p: ScenarioParams, ctx: ScenarioContext): ResolvedScenarioCommon {
  return {
    name,
    startTimeMs: p.durationMs('startTime', SCENARIO_DEFAULTS.startTimeMs),
    // k6 rejects gracefulStop for externally-controlled (its iterations stop at the end); loadts
    // gives every executor the same graceful stop, so a config may set it on all scenarios.
    gracefulStopMs: p.durationMs('gracefulStop', SCENARIO_DEFAULTS.gracefulStopMs),
    exec: execOf(raw, ctx),
    env: stringMap(p.value('env'), ctx.at('env')),
    tags: stringMap(p.value('tags'), ctx.at('tags')),
  };
}

/**
 * Validates one scenario as k6's executor configs do (`Validate()` of each) and fills in k6's
 * defaults. Throws one LoadtsError for the first mistake, naming the parameter and its source.
 */
export function resolveScenario(name: string, raw: unknown, ctx: ScenarioContext): ResolvedScenario {
  if (!SCENARIO_NAME.test(name)) throw invalid(ctx.self, 'scenario names may contain only latin letters, digits, _ and -');
  if (!isPlainObject(raw)) throw invalid(ctx.self, `must be an object with an executor, got ${show(raw)}`);
  const executor = executorOf(raw, ctx);
  checkParamNames(raw, executor, ctx);
  const p = new ScenarioParams(raw, ctx, executor);
  return EXECUTOR_CONFIGS[executor](p, commonFields(name, raw, p, ctx));
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
