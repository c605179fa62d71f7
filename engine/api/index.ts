/**
 * `import { check, group, sleep } from 'loadts'` (also answers to 'k6').
 * @module loadts
 */
import { getRuntime, requireScope, currentScope, vuStorage } from '../runtime/context.js';
import { IterationInterrupted } from '../runtime/vu.js';

export { textSummary } from './summary.js';

/** A check: a function of the value returning truthy on success, or a plain truthy/falsy value. */
export type Checker<T> = ((value: T) => unknown) | boolean | number | string | null | undefined;

/**
 * Runs each named check against `value`, records one `checks` sample per check (tagged `check`
 * and the current group), and returns true when all passed. As in k6, an exception inside a check
 * function propagates.
 */
export function check<T>(value: T, checks: Record<string, Checker<T>>, tags?: Record<string, string>): boolean {
  const rt = getRuntime();
  const scope = requireScope('check()');
  let base = scope.tags;
  if (tags !== undefined) base = base.withAll(tags);
  let all = true;
  for (const name of Object.keys(checks)) {
    const c = checks[name];
    const result = typeof c === 'function' ? (c as (v: T) => unknown)(value) : c;
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw new TypeError(`check "${name}" returned a Promise: checks are synchronous, await the value before check()`);
    }
    const ok = Boolean(result);
    if (!ok) all = false;
    rt.registry.add(rt.metrics.checks, base.with('check', name), ok ? 1 : 0);
  }
  return all;
}

/**
 * Runs `fn` as group `name`: its samples carry the group tag `::outer::name`, and its duration is
 * recorded in `group_duration`. Returns what `fn` returns.
 */
export async function group<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const rt = getRuntime();
  const scope = requireScope('group()');
  if (name === '' || name.includes('::')) throw new TypeError(`group name ${JSON.stringify(name)} must be non-empty and must not contain "::"`);
  const path = `${scope.groupPath}::${name}`;
  const tags = scope.tags.with('group', path);
  const t0 = performance.now();
  const result = await vuStorage.run({ vu: scope.vu, tags, groupPath: path }, fn);
  rt.registry.add(rt.metrics.group_duration, tags, performance.now() - t0);
  return result;
}

/** Waits `seconds` (fractions allowed). Await it: `await sleep(0.5)`. */
export function sleep(seconds: number): Promise<void> {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    return Promise.reject(new TypeError(`sleep() takes a non-negative number of seconds, got ${String(seconds)}`));
  }
  const scope = currentScope();
  if (scope === undefined) return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return scope.vu.sleep(seconds * 1000);
}

/** Ends the current iteration with an error (k6's fail()). */
export function fail(message = ''): never {
  throw new Error(message === '' ? 'fail() called' : message);
}

/** Seeds Math.random is not supported in Node; kept for k6 ports and throws a clear error. */
export function randomSeed(_seed: number): never {
  throw new Error('randomSeed() is not supported by loadts: use a seeded generator from npm in your script');
}

export { IterationInterrupted };
export default { check, group, sleep, fail, randomSeed };

export type { Options, ScenarioInput, Stage, ThresholdInput } from '../options/types.js';
export type { SummaryData } from '../output/summary-types.js';

declare global {
  /** Environment: -e K=V flags over the process environment, plus the scenario's `env`. */
  var __ENV: Record<string, string | undefined>;
  /** Test-wide id of the running VU, 1-based (0 in the init context, setup and teardown). */
  var __VU: number;
  /** The running VU's iteration number in its scenario, 0-based. */
  var __ITER: number;
  /**
   * Reads a file in the init context (module scope) only, relative to the script's folder: as text,
   * or as an ArrayBuffer with mode 'b' (k6's open()).
   */
  function open(path: string): string;
  function open(path: string, mode: 'b'): ArrayBuffer;
  function open(path: string, mode?: 'b' | ''): string | ArrayBuffer;
}
