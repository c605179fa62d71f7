import { LoadtsError } from '../errors.js';
import { integer, invalid, isPlainObject, show, type Where } from './checks.js';
import { resolveScenario, resolveScenarioMap } from './scenarios.js';
import type { OptionName, ResolvedScenario } from './types.js';

/** The name of the scenario that the shortcut options describe (k6's DefaultScenarioName). */
export const DEFAULT_SCENARIO_NAME = 'default';

/** Which top-level option stands for each parameter of the default scenario. */
const SHORTCUT_OF_PARAM: Readonly<Record<string, OptionName>> = {
  vus: 'vus',
  startVUs: 'vus',
  iterations: 'iterations',
  duration: 'duration',
  maxDuration: 'duration',
  stages: 'stages',
};

/**
 * Turns the merged options into scenarios as k6's `DeriveScenariosFromShortcuts` does:
 *
 * - `iterations` (with optional `vus`, `duration`) → shared-iterations, `duration` as its maxDuration
 * - `duration` (with optional `vus`) → constant-vus
 * - `stages` (with optional `vus` as startVUs) → ramping-vus
 * - `scenarios` → those scenarios (`vus` is then ignored, with a warning)
 * - nothing → per-vu-iterations, 1 VU, 1 iteration
 *
 * A shortcut and `scenarios`, or `stages` with `iterations` or `duration`, set in the same source
 * is an error, as in k6 (from different sources the higher one has already replaced the lower).
 */
export function scenariosFromOptions(
  m: Readonly<Record<string, unknown>>,
  origins: Readonly<Partial<Record<OptionName, string>>>,
  exported: ReadonlySet<string> | undefined,
  warnings: string[],
): ResolvedScenario[] {
  const where = (option: OptionName, code: Where['code'] = 'INVALID_OPTION'): Where => ({ path: option, source: origins[option], code });
  const set = (k: OptionName): boolean => m[k] !== undefined;
  if (set('vus')) integer(m.vus, where('vus'));
  if (set('iterations')) integer(m.iterations, where('iterations'));
  if (set('stages') && !Array.isArray(m.stages)) throw invalid(where('stages'), `must be a list of { duration, target }, got ${show(m.stages)}`);
  const hasStages = Array.isArray(m.stages) && m.stages.length > 0;
  const hasScenarios = isPlainObject(m.scenarios) ? Object.keys(m.scenarios).length > 0 : set('scenarios');

  const conflict = (a: OptionName, b: OptionName): LoadtsError =>
    invalid(where(a), `cannot be combined with ${b} in the same place (${origins[b]}); use one execution shortcut, or scenarios`);
  let shortcut: Record<string, unknown> | undefined;
  if (set('iterations')) {
    if (hasStages) throw conflict('stages', 'iterations');
    if (set('scenarios')) throw conflict('iterations', 'scenarios');
    shortcut = { executor: 'shared-iterations', vus: m.vus, iterations: m.iterations, maxDuration: m.duration };
  } else if (set('duration')) {
    if (hasStages) throw conflict('stages', 'duration');
    if (set('scenarios')) throw conflict('duration', 'scenarios');
    shortcut = { executor: 'constant-vus', vus: m.vus, duration: m.duration };
  } else if (hasStages) {
    if (set('scenarios')) throw conflict('stages', 'scenarios');
    shortcut = { executor: 'ramping-vus', startVUs: m.vus, stages: m.stages };
  }

  if (shortcut === undefined && hasScenarios) {
    if (set('vus')) warnings.push(`vus=${show(m.vus)} (${origins.vus}) is ignored: scenarios set their own VUs`);
    return resolveScenarioMap(m.scenarios, where('scenarios', 'INVALID_SCENARIO'), exported, warnings);
  }
  if (shortcut === undefined) {
    if (set('vus') && Number(m.vus) !== 1) {
      warnings.push(`vus=${show(m.vus)} (${origins.vus}) is ignored: it only takes effect with iterations, duration or stages (running 1 iteration with 1 VU)`);
    }
    if (set('stages')) warnings.push(`stages (${origins.stages}) is empty: running 1 iteration with 1 VU`);
    if (set('scenarios')) warnings.push(`scenarios (${origins.scenarios}) is empty: running 1 iteration with 1 VU`);
    shortcut = { executor: 'per-vu-iterations', vus: 1, iterations: 1 };
  }
  const params = shortcut;
  for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
  const at = (param: string): Where => {
    const option = SHORTCUT_OF_PARAM[param];
    return option ? where(option) : { path: param, source: undefined, code: 'INVALID_SCENARIO' };
  };
  return [
    resolveScenario(DEFAULT_SCENARIO_NAME, params, {
      at,
      self: { path: 'default scenario', source: undefined, code: 'INVALID_SCENARIO' },
      fromShortcuts: true,
      exported,
      warnings,
    }),
  ];
}
