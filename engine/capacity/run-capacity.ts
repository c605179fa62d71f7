import { ExitCode, LoadtsError } from '../errors.js';
import type { Options } from '../options/types.js';
import type { RunRecord } from '../record/types.js';
import type { RunRequest } from '../runtime/run-types.js';
import { runLevel, type LevelPlan } from './level-run.js';
import { capacityRecord, type CapacityRunRecord } from './record.js';
import { levelKnee, verdictLine, type CapacityResult } from './result.js';
import { CapacitySearch, type SearchSettings } from './search.js';

/** A capacity search, as `loadts capacity` asks for it. */
export interface CapacityRequest {
  /** The run request every level starts from (script, env, workers, streams). */
  base: RunRequest;
  model: 'open' | 'closed';
  settings: SearchSettings;
  levelDurationMs: number;
  warmupMs: number;
  gracefulStopMs: number;
  exec: string;
  maxVUs?: number;
  /** SLOs from --slo, as thresholds; undefined: the script's thresholds. */
  slos?: Options['thresholds'];
  /** One line per level as it ends (stderr). */
  progress: (line: string) => void;
  /** Ends the search before its next level (Ctrl-C between levels; during one, the level's run stops itself). */
  signal?: AbortSignal;
}

export interface CapacityOutcome {
  exitCode: number;
  result: CapacityResult | undefined;
  record: CapacityRunRecord | undefined;
}

/** The SLOs a level was judged by, as thresholds (abortOnFail off: a level always runs to its end). */
function slosOf(record: RunRecord): Options['thresholds'] {
  const out: Record<string, string[]> = {};
  for (const t of record.thresholds) (out[t.metric] ??= []).push(t.source);
  return out;
}

function describe(l: CapacityResult['levels'][number]): string {
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)}ms`);
  const load = l.load.unit === 'VUs' ? `${l.load.value} VUs` : `${l.load.value}/s`;
  return `${l.label}: ${load} → ${l.iterationsPerSec.toFixed(1)} iterations/s, p95 ${ms(l.p95)}, errors ${((l.errorRate ?? 0) * 100).toFixed(2)}%: ${l.verdict}${l.note && l.verdict !== 'pass' ? ` (${l.note})` : ''}`;
}

/**
 * Runs the search level by level (docs/capacity.md). A level that cannot run (a script error, the
 * target unreachable, Ctrl-C) ends the search with that level's exit code; what ran is kept.
 */
export async function runCapacity(req: CapacityRequest): Promise<CapacityOutcome> {
  const search = new CapacitySearch(req.settings);
  const runs: Array<{ index: number; record: RunRecord; level: CapacityResult['levels'][number] }> = [];
  const said = new Set<string>();
  let thresholds = req.slos;
  let exitCode: number = ExitCode.OK;
  for (let load = search.next(); load !== undefined; load = search.next()) {
    if (req.signal?.aborted) {
      exitCode = ExitCode.ExternalAbort;
      search.stop();
      break;
    }
    const index = runs.length + 1;
    const plan: LevelPlan = { index, model: req.model, load, warmupMs: req.warmupMs, durationMs: req.levelDurationMs, exec: req.exec, gracefulStopMs: req.gracefulStopMs, maxVUs: req.maxVUs };
    const run = await runLevel(req.base, plan, thresholds);
    for (const m of run.messages) if (!said.has(m)) req.base.stderr.write(`${m}\n`), said.add(m);
    if (run.record === undefined || (run.exitCode !== ExitCode.OK && run.exitCode !== ExitCode.ThresholdsFailed)) {
      exitCode = run.exitCode === ExitCode.OK ? ExitCode.GenericEngine : run.exitCode;
      search.stop();
      break;
    }
    if ((run.level.slos ?? []).length === 0) {
      throw new LoadtsError('INVALID_FLAG', "loadts capacity needs SLOs on a trend or rate metric: --slo 'http_req_duration: p(95)<300', or thresholds in the script");
    }
    thresholds ??= slosOf(run.record);
    runs.push({ index, record: run.record, level: run.level });
    req.progress(describe(run.level));
    search.record(run.level.verdict === 'pass' ? 'pass' : run.level.verdict === 'generator-bound' ? 'generator-bound' : 'fail');
    if (req.signal?.aborted) {
      exitCode = ExitCode.ExternalAbort;
      search.stop();
      break;
    }
  }
  if (runs.length === 0) return { exitCode: exitCode === ExitCode.OK ? ExitCode.GenericEngine : exitCode, result: undefined, record: undefined };
  const { end, maxPassing, minFailing } = search.result();
  const levels = runs.map((r) => r.level);
  const partial = {
    model: req.model,
    unit: req.model === 'open' ? ('iterations/s' as const) : ('VUs' as const),
    slos: Object.entries(thresholds ?? {}).flatMap(([metric, list]) => (list as Array<string | { threshold: string }>).map((t) => ({ metric, source: typeof t === 'string' ? t : t.threshold }))),
    settings: { ...req.settings, levelDurationMs: req.levelDurationMs, warmupMs: req.warmupMs },
    levels,
    end: end ?? 'stopped',
    ...(maxPassing === undefined ? {} : { maxSustainable: maxPassing }),
    ...(minFailing === undefined ? {} : { firstFailing: minFailing }),
    ...(levelKnee(levels) === undefined ? {} : { knee: levelKnee(levels) }),
  };
  const result: CapacityResult = { ...partial, verdict: verdictLine(partial) };
  if (exitCode === ExitCode.OK && result.end === 'none-passed') exitCode = ExitCode.ThresholdsFailed;
  return { exitCode, result, record: capacityRecord(runs, result, exitCode, [...said]) };
}
