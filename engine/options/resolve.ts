import { readFileSync } from 'node:fs';
import { LoadtsError } from '../errors.js';
import { parseTrendStat } from '../metrics/aggregate.js';
import { parseSegment, parseSequence, SegmentPartition } from '../execution/segment.js';
import { parseDuration } from './duration.js';
import type { ExecutorName, Options, ResolvedOptions, ResolvedScenario, ResolvedStage, ResolvedThreshold, ScenarioInput, Stage, ThresholdInput } from './types.js';

/** Options from one source, lowest priority first when passed to resolveOptions. */
export interface OptionLayer {
  /** 'config file x.yaml', 'script', 'environment', 'command line'. */
  source: string;
  options: Options;
}

const EXECUTORS: readonly ExecutorName[] = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'externally-controlled',
];
const SHORTCUTS = ['vus', 'duration', 'iterations', 'stages'] as const;

let cachedVersion: string | undefined;
function packageVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

/** Where each option came from, for error messages. */
type Origins = Partial<Record<keyof Options, string>>;

function bad(path: string, origins: Origins, why: string): LoadtsError {
  const top = path.split(/[.[]/)[0] as keyof Options;
  const src = origins[top];
  return new LoadtsError('INVALID_OPTION', `invalid option ${path}${src ? ` (${src})` : ''}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Merges the layers (later ones win per option) with k6's rule for execution options: shortcuts
 * (vus, duration, iterations, stages) in a layer replace `scenarios` from lower layers, and
 * `scenarios` in a layer replaces lower shortcuts.
 */
function merge(layers: readonly OptionLayer[]): { merged: Options; origins: Origins } {
  const merged: Record<string, unknown> = {};
  const origins: Origins = {};
  for (const layer of layers) {
    const o = layer.options as Record<string, unknown>;
    if (!isObject(o)) throw new LoadtsError('INVALID_OPTION', `options (${layer.source}) must be an object`);
    const setsShortcut = SHORTCUTS.some((k) => o[k] !== undefined);
    if (o.scenarios !== undefined && ['duration', 'iterations', 'stages'].some((k) => o[k] !== undefined)) {
      throw new LoadtsError('INVALID_OPTION', `invalid options (${layer.source}): scenarios cannot be combined with duration, iterations or stages in the same place; put them in a scenario`);
    }
    if (setsShortcut && merged.scenarios !== undefined) {
      delete merged.scenarios;
      delete origins.scenarios;
    }
    if (o.scenarios !== undefined) {
      for (const k of SHORTCUTS) {
        delete merged[k];
        delete origins[k];
      }
    }
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      merged[k] = v;
      origins[k as keyof Options] = layer.source;
    }
  }
  return { merged: merged as Options, origins };
}

function int(v: unknown, path: string, o: Origins, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw bad(path, o, `must be ${min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function positive(v: unknown, path: string, o: Origins): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(path, o, `must be a non-negative number, got ${JSON.stringify(v)}`);
  return v;
}

function dur(v: unknown, path: string, o: Origins): number {
  const src = o[path.split(/[.[]/)[0] as keyof Options];
  return parseDuration(v, `${path}${src ? ` (${src})` : ''}`);
}

function bool(v: unknown, path: string, o: Origins, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw bad(path, o, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function stringMap(v: unknown, path: string, o: Origins): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v)) throw bad(path, o, 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') throw bad(`${path}.${k}`, o, 'must be a string');
    out[k] = String(val);
  }
  return out;
}

function stages(v: unknown, path: string, o: Origins): ResolvedStage[] {
  if (!Array.isArray(v) || v.length === 0) throw bad(path, o, 'must be a non-empty list of { duration, target }');
  return v.map((s: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(s)) throw bad(p, o, 'must be { duration, target }');
    if (s.duration === undefined) throw bad(`${p}.duration`, o, 'required');
    if (s.target === undefined) throw bad(`${p}.target`, o, 'required');
    return { durationMs: dur(s.duration, `${p}.duration`, o), target: positive(s.target, `${p}.target`, o) };
  });
}

/** The scenario that shortcut options describe (k6's deriveExecutionConfig). */
function shortcutScenario(m: Options, o: Origins): ScenarioInput {
  const vus = m.vus;
  if (m.stages !== undefined) {
    if (m.duration !== undefined || m.iterations !== undefined) {
      throw bad('stages', o, 'cannot be combined with duration or iterations (use one execution shortcut, or scenarios)');
    }
    return { executor: 'ramping-vus', startVUs: vus ?? 1, stages: m.stages as Stage[] };
  }
  if (m.iterations !== undefined) {
    return { executor: 'shared-iterations', vus: vus ?? 1, iterations: m.iterations, ...(m.duration !== undefined ? { maxDuration: m.duration } : {}) };
  }
  if (m.duration !== undefined) return { executor: 'constant-vus', vus: vus ?? 1, duration: m.duration };
  return { executor: 'shared-iterations', vus: vus ?? 1, iterations: 1 };
}

const KNOWN_KEYS: Record<ExecutorName, readonly string[]> = {
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  'externally-controlled': ['vus', 'maxVUs', 'duration'],
};
const COMMON_KEYS = ['executor', 'startTime', 'gracefulStop', 'exec', 'env', 'tags'];

function scenario(name: string, raw: unknown, o: Origins, exported: ReadonlySet<string> | undefined, origin: 'scenarios' | 'shortcut'): ResolvedScenario {
  const p = origin === 'scenarios' ? `scenarios.${name}` : (['stages', 'duration', 'iterations', 'vus'].find((k) => o[k as keyof Options]) ?? 'vus');
  const at = (k: string) => (origin === 'scenarios' ? `${p}.${k}` : k);
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) throw bad(p, o, 'scenario names may use letters, digits, - and _ only');
  if (!isObject(raw)) throw bad(p, o, 'must be an object with an executor');
  const executor = raw.executor as ExecutorName;
  if (!EXECUTORS.includes(executor)) throw bad(at('executor'), o, `unknown executor ${JSON.stringify(raw.executor)} (expected one of ${EXECUTORS.join(', ')})`);
  for (const k of Object.keys(raw)) {
    if (!COMMON_KEYS.includes(k) && !KNOWN_KEYS[executor].includes(k)) {
      throw bad(at(k), o, `not a parameter of ${executor} (it takes ${[...KNOWN_KEYS[executor], 'startTime', 'gracefulStop', 'exec', 'env', 'tags'].join(', ')})`);
    }
  }
  const exec = raw.exec === undefined ? 'default' : raw.exec;
  if (typeof exec !== 'string' || exec === '') throw bad(at('exec'), o, 'must be the name of an exported function');
  if (exported !== undefined && !exported.has(exec)) {
    throw bad(at('exec'), o, exec === 'default' ? 'the script has no default export function' : `the script does not export a function named "${exec}"`);
  }
  const common = {
    name,
    startTimeMs: raw.startTime === undefined ? 0 : dur(raw.startTime, at('startTime'), o),
    gracefulStopMs: raw.gracefulStop === undefined ? 30_000 : dur(raw.gracefulStop, at('gracefulStop'), o),
    exec,
    env: stringMap(raw.env, at('env'), o),
    tags: stringMap(raw.tags, at('tags'), o),
  };
  const req = (k: string) => {
    if (raw[k] === undefined) throw bad(at(k), o, `required for ${executor}`);
    return raw[k];
  };
  switch (executor) {
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = raw.vus === undefined ? 1 : int(raw.vus, at('vus'), o, 1);
      const iterations = raw.iterations === undefined ? 1 : int(raw.iterations, at('iterations'), o, 1);
      if (executor === 'shared-iterations' && iterations < vus) {
        // k6 rejects more VUs than iterations for shared-iterations
        throw bad(at('iterations'), o, `${iterations} is fewer than vus (${vus}): every VU needs at least one iteration`);
      }
      const maxDurationMs = raw.maxDuration === undefined ? 600_000 : dur(raw.maxDuration, at('maxDuration'), o);
      return { ...common, executor, vus, iterations, maxDurationMs };
    }
    case 'constant-vus': {
      const durationMs = dur(req('duration'), at('duration'), o);
      if (durationMs <= 0) throw bad(at('duration'), o, 'must be longer than 0s');
      return { ...common, executor, vus: raw.vus === undefined ? 1 : int(raw.vus, at('vus'), o, 1), durationMs };
    }
    case 'ramping-vus':
      return {
        ...common,
        executor,
        startVUs: raw.startVUs === undefined ? 1 : int(raw.startVUs, at('startVUs'), o),
        stages: stages(req('stages'), at('stages'), o),
        gracefulRampDownMs: raw.gracefulRampDown === undefined ? 30_000 : dur(raw.gracefulRampDown, at('gracefulRampDown'), o),
      };
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const preAllocatedVUs = int(req('preAllocatedVUs'), at('preAllocatedVUs'), o);
      const maxVUs = raw.maxVUs === undefined ? preAllocatedVUs : int(raw.maxVUs, at('maxVUs'), o);
      if (preAllocatedVUs > maxVUs) throw bad(at('preAllocatedVUs'), o, `${preAllocatedVUs} exceeds maxVUs (${maxVUs})`);
      if (maxVUs === 0) throw bad(at('maxVUs'), o, 'must be at least 1');
      const timeUnitMs = raw.timeUnit === undefined ? 1000 : dur(raw.timeUnit, at('timeUnit'), o);
      if (timeUnitMs <= 0) throw bad(at('timeUnit'), o, 'must be longer than 0s');
      if (executor === 'constant-arrival-rate') {
        const rate = raw.rate === undefined ? undefined : positive(raw.rate, at('rate'), o);
        if (rate === undefined || rate === 0) throw bad(at('rate'), o, `required for ${executor} (iterations per timeUnit, > 0)`);
        const durationMs = dur(req('duration'), at('duration'), o);
        if (durationMs <= 0) throw bad(at('duration'), o, 'must be longer than 0s');
        return { ...common, executor, rate, timeUnitMs, durationMs, preAllocatedVUs, maxVUs };
      }
      return {
        ...common,
        executor,
        startRate: raw.startRate === undefined ? 0 : positive(raw.startRate, at('startRate'), o),
        timeUnitMs,
        stages: stages(req('stages'), at('stages'), o),
        preAllocatedVUs,
        maxVUs,
      };
    }
    case 'externally-controlled': {
      const vus = raw.vus === undefined ? 1 : int(raw.vus, at('vus'), o);
      const maxVUs = raw.maxVUs === undefined ? vus : int(raw.maxVUs, at('maxVUs'), o);
      if (vus > maxVUs) throw bad(at('vus'), o, `${vus} exceeds maxVUs (${maxVUs})`);
      const durationMs = dur(req('duration'), at('duration'), o);
      return { ...common, executor, vus, maxVUs, durationMs };
    }
  }
}

function thresholds(v: unknown, o: Origins): Record<string, ResolvedThreshold[]> {
  if (v === undefined) return {};
  if (!isObject(v)) throw bad('thresholds', o, 'must be an object of metric → list of thresholds');
  const out: Record<string, ResolvedThreshold[]> = {};
  for (const [key, raw] of Object.entries(v)) {
    const list = (Array.isArray(raw) ? raw : [raw]) as ThresholdInput[];
    out[key] = list.map((t, i) => {
      const p = `thresholds["${key}"][${i}]`;
      if (typeof t === 'string') return { source: t, abortOnFail: false, delayAbortEvalMs: 0 };
      if (isObject(t) && typeof t.threshold === 'string') {
        return {
          source: t.threshold,
          abortOnFail: bool(t.abortOnFail, `${p}.abortOnFail`, o, false),
          delayAbortEvalMs: t.delayAbortEval === undefined ? 0 : dur(t.delayAbortEval, `${p}.delayAbortEval`, o),
        };
      }
      throw bad(p, o, 'must be a string like "p(95)<200" or { threshold, abortOnFail, delayAbortEval }');
    });
  }
  return out;
}

/**
 * Merges option layers (lowest priority first) and validates everything, returning the resolved
 * options the runtime reads. Every mistake is one LoadtsError naming the option and its source.
 * @param ctx.exportedFunctions when given, scenarios' `exec` must name one of them
 */
export function resolveOptions(layers: readonly OptionLayer[], ctx: { exportedFunctions?: ReadonlySet<string> } = {}): ResolvedOptions {
  const { merged: m, origins: o } = merge(layers);
  const exported = ctx.exportedFunctions;
  if (m.vus !== undefined) int(m.vus, 'vus', o);
  if (m.iterations !== undefined) int(m.iterations, 'iterations', o, 1);
  if (m.duration !== undefined) dur(m.duration, 'duration', o);

  let scenarios: ResolvedScenario[];
  if (m.scenarios !== undefined) {
    if (!isObject(m.scenarios) || Object.keys(m.scenarios).length === 0) throw bad('scenarios', o, 'must be an object with at least one scenario');
    scenarios = Object.entries(m.scenarios).map(([name, s]) => scenario(name, s, o, exported, 'scenarios'));
  } else {
    scenarios = [scenario('default', shortcutScenario(m, o), o, exported, 'shortcut')];
  }

  const trendStats = m.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  if (!Array.isArray(trendStats) || trendStats.length === 0) throw bad('summaryTrendStats', o, 'must be a non-empty list like ["avg", "p(99)"]');
  for (const s of trendStats) {
    try {
      parseTrendStat(String(s));
    } catch (e) {
      throw bad('summaryTrendStats', o, (e as Error).message);
    }
  }
  const unit = m.summaryTimeUnit ?? '';
  if (!['', 's', 'ms', 'us'].includes(unit)) throw bad('summaryTimeUnit', o, `must be s, ms or us, got ${JSON.stringify(unit)}`);

  const executionSegment = m.executionSegment ?? '0:1';
  const executionSegmentSequence = m.executionSegmentSequence ?? '';
  try {
    const seg = parseSegment(executionSegment);
    const seq = executionSegmentSequence ? parseSequence(executionSegmentSequence) : undefined;
    new SegmentPartition(seg, seq);
  } catch (e) {
    throw bad(executionSegmentSequence && !o.executionSegment ? 'executionSegmentSequence' : 'executionSegment', o, (e as Error).message.replace(/^invalid /, ''));
  }

  const hosts = stringMap(m.hosts, 'hosts', o);
  const userAgent = m.userAgent ?? `loadts/${packageVersion()}`;
  if (typeof userAgent !== 'string') throw bad('userAgent', o, 'must be a string');
  return {
    scenarios,
    thresholds: thresholds(m.thresholds, o),
    tags: stringMap(m.tags, 'tags', o),
    summaryTrendStats: trendStats.map(String),
    summaryTimeUnit: unit as ResolvedOptions['summaryTimeUnit'],
    setupTimeoutMs: m.setupTimeout === undefined ? 60_000 : dur(m.setupTimeout, 'setupTimeout', o),
    teardownTimeoutMs: m.teardownTimeout === undefined ? 60_000 : dur(m.teardownTimeout, 'teardownTimeout', o),
    userAgent,
    discardResponseBodies: bool(m.discardResponseBodies, 'discardResponseBodies', o, false),
    noConnectionReuse: bool(m.noConnectionReuse, 'noConnectionReuse', o, false),
    noVUConnectionReuse: bool(m.noVUConnectionReuse, 'noVUConnectionReuse', o, false),
    maxRedirects: m.maxRedirects === undefined ? 10 : int(m.maxRedirects, 'maxRedirects', o),
    insecureSkipTLSVerify: bool(m.insecureSkipTLSVerify, 'insecureSkipTLSVerify', o, false),
    noCookiesReset: bool(m.noCookiesReset, 'noCookiesReset', o, false),
    hosts,
    batch: m.batch === undefined ? 20 : int(m.batch, 'batch', o, 1),
    batchPerHost: m.batchPerHost === undefined ? 6 : int(m.batchPerHost, 'batchPerHost', o, 0),
    executionSegment,
    executionSegmentSequence,
    noColor: bool(m.noColor, 'noColor', o, false),
  };
}
