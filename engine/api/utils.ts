/**
 * `import { randomIntBetween, … } from 'loadts/utils'`: k6's jslib k6-utils, written from its
 * documented API. Scripts importing `https://jslib.k6.io/k6-utils/<version>/index.js` get this
 * module, with no network.
 * @module loadts/utils
 */
import { randomUUID } from 'node:crypto';
import { check as coreCheck, type Checker } from './index.js';
import exec from './execution.js';
import { getRuntime, requireScope } from '../runtime/context.js';
import type { ResolvedStage } from '../options/types.js';

/** A random integer from `min` to `max`, both included. */
export function randomIntBetween(min: number, max: number): number {
  return Math.floor(Math.random() * (max - min + 1) + min);
}

/** A random element of `array`. */
export function randomItem<T>(array: readonly T[]): T {
  return array[Math.floor(Math.random() * array.length)] as T;
}

/** A random string of `length` characters from `charset` (default: a-z). */
export function randomString(length: number, charset = 'abcdefghijklmnopqrstuvwxyz'): string {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[Math.floor(Math.random() * charset.length)];
  return out;
}

/** A random UUID v4 (always from the cryptographic generator, so `secure` changes nothing). */
export function uuidv4(_secure = false): string {
  return randomUUID();
}

/**
 * The text between `left` and `right` in `content` ('' when absent); with `repeat`, every such
 * text, in order ([] when none).
 */
export function findBetween(content: string, left: string, right: string, repeat: true): string[];
export function findBetween(content: string, left: string, right: string, repeat?: false): string;
export function findBetween(content: string, left: string, right: string, repeat = false): string | string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = content.indexOf(left, from);
    if (start < 0) break;
    const end = content.indexOf(right, start + left.length);
    if (end < 0) break;
    found.push(content.slice(start + left.length, end));
    if (!repeat) break;
    from = end + right.length;
  }
  return repeat ? found : (found[0] ?? '');
}

/**
 * Stages whose targets follow a bell curve: `numberOfStages` equal stages over `durationSeconds`,
 * ramping up to `maxVUs` at the middle and back down to 0 at the end.
 */
export function normalDistributionStages(maxVUs: number, durationSeconds: number, numberOfStages = 10): Array<{ duration: string; target: number }> {
  const n = Math.max(1, Math.floor(numberOfStages));
  const stageSeconds = Math.max(1, Math.round(durationSeconds / n));
  const sigma = n / 6; // the curve is at ~1% of its peak at either end
  const mid = (n - 1) / 2;
  const stages: Array<{ duration: string; target: number }> = [];
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const target = last && n > 1 ? 0 : Math.round(maxVUs * Math.exp(-((i - mid) ** 2) / (2 * sigma * sigma)));
    stages.push({ duration: `${stageSeconds}s`, target });
  }
  return stages;
}

interface StageInfo {
  index: number;
  stages: readonly ResolvedStage[];
  /** The VUs or rate the first stage ramps from. */
  start: number;
}

function currentStage(what: string): StageInfo {
  const { vu } = requireScope(`${what}()`);
  const scenario = getRuntime().options?.scenarios.find((s) => s.name === vu.scenario.name);
  if (scenario === undefined || (scenario.executor !== 'ramping-vus' && scenario.executor !== 'ramping-arrival-rate')) {
    throw new Error(`${what}() works only in a scenario with stages (ramping-vus or ramping-arrival-rate); ${vu.scenario.name} is ${scenario?.executor ?? 'unknown'}`);
  }
  const elapsed = performance.now() - vu.scenario.startPerfMs;
  let end = 0;
  let index = scenario.stages.length - 1;
  for (const [i, s] of scenario.stages.entries()) {
    end += s.durationMs;
    if (elapsed < end) {
      index = i;
      break;
    }
  }
  const start = scenario.executor === 'ramping-vus' ? scenario.startVUs : scenario.startRate;
  return { index: Math.max(index, 0), stages: scenario.stages, start };
}

/** The index of the running stage of the VU's ramping scenario. */
export function getCurrentStageIndex(): number {
  return currentStage('getCurrentStageIndex').index;
}

/** Tags the rest of the iteration's samples `stage=<index of the running stage>`. */
export function tagWithCurrentStageIndex(): void {
  exec.vu.tags.stage = String(currentStage('tagWithCurrentStageIndex').index);
}

/**
 * Tags the rest of the iteration's samples `stage_profile=ramp-up|steady|ramp-down`, from the running
 * stage's target against the previous one's.
 */
export function tagWithCurrentStageProfile(): void {
  const { index, stages, start } = currentStage('tagWithCurrentStageProfile');
  const from = index === 0 ? start : (stages[index - 1]?.target ?? start);
  const to = stages[index]?.target ?? from;
  exec.vu.tags.stage_profile = to > from ? 'ramp-up' : to < from ? 'ramp-down' : 'steady';
}

/**
 * k6-utils' check: like check(), but `val` and each check's result may be Promises; resolves to
 * true when all passed.
 */
export async function check<T>(val: T | Promise<T>, sets: Record<string, ((v: T) => unknown) | unknown>, tags?: Record<string, string>): Promise<boolean> {
  const value = await val;
  const results: Record<string, Checker<T>> = {};
  for (const [name, c] of Object.entries(sets)) {
    results[name] = Boolean(await (typeof c === 'function' ? (c as (v: T) => unknown)(value) : c));
  }
  return coreCheck(value, results, tags);
}

export default {
  check,
  randomIntBetween,
  randomItem,
  randomString,
  uuidv4,
  findBetween,
  normalDistributionStages,
  getCurrentStageIndex,
  tagWithCurrentStageIndex,
  tagWithCurrentStageProfile,
};
