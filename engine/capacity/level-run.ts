import { Writable } from 'node:stream';
import type { LoadLevel } from '../record/load-level.js';
import type { RunRecord } from '../record/types.js';
import { runTest } from '../runtime/coordinator.js';
import type { RunRequest } from '../runtime/run-types.js';
import type { Options, ScenarioInput } from '../options/types.js';

/** The scenario each level runs as; its samples carry scenario=capacity and stage=0 (warm-up) or 1. */
export const LEVEL_SCENARIO = 'capacity';
/** An open-model level fails when it achieved less than this share of the offered rate. */
export const SUSTAINED_SHARE = 0.95;

/** How one level runs. */
export interface LevelPlan {
  index: number;
  model: 'open' | 'closed';
  /** iterations/s (open) or VUs (closed). */
  load: number;
  warmupMs: number;
  durationMs: number;
  exec: string;
  /** Open model: the most VUs (default: enough for 2 s of latency at the offered rate, at least 20). */
  maxVUs?: number;
  gracefulStopMs: number;
}

/** A level's scenario: the offered load held through the warm-up stage and the measured stage. */
export function levelScenario(p: LevelPlan): ScenarioInput {
  const stages = [...(p.warmupMs > 0 ? [{ duration: `${p.warmupMs}ms`, target: p.load }] : []), { duration: `${p.durationMs}ms`, target: p.load }];
  const common = { exec: p.exec, gracefulStop: `${p.gracefulStopMs}ms` };
  if (p.model === 'closed') return { executor: 'ramping-vus', startVUs: p.load, stages, gracefulRampDown: `${p.gracefulStopMs}ms`, ...common };
  const maxVUs = p.maxVUs ?? Math.max(20, Math.ceil(p.load * 2));
  const preAllocatedVUs = Math.min(maxVUs, Math.max(1, Math.ceil(p.load * 0.1)));
  return { executor: 'ramping-arrival-rate', startRate: p.load, timeUnit: '1s', preAllocatedVUs, maxVUs, stages, ...common };
}

/** What one level gave. */
export interface LevelRun {
  level: LoadLevel;
  record: RunRecord | undefined;
  exitCode: number;
  /** The lines the run wrote to stderr that are worth showing (errors, warnings). */
  messages: string[];
}

/** A stream that keeps the lines written to it. */
function lineSink(lines: string[]): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      done();
    },
  });
}

/**
 * Runs one level through the real engine (the bundle is cached, so only init and the workers are
 * new): the level's scenario replaces the script's, its SLOs are the run's thresholds, and the
 * level's row is the measured stage's row of the load-level table, judged on its samples alone.
 */
export async function runLevel(base: RunRequest, plan: LevelPlan, thresholds: Options['thresholds'] | undefined): Promise<LevelRun> {
  const lines: string[] = [];
  const flagOptions: Options = { ...base.flagOptions, scenarios: { [LEVEL_SCENARIO]: levelScenario(plan) }, ...(thresholds === undefined ? {} : { thresholds }) };
  const outcome = await runTest({ ...base, flagOptions, noSummary: true, quiet: true, outputs: [], summaryExport: undefined, stdout: lineSink([]), stderr: lineSink(lines), warn: (l) => lines.push(l) });
  const measured = `${LEVEL_SCENARIO} stage ${plan.warmupMs > 0 ? 1 : 0}`;
  const row = outcome.record?.loadLevels?.find((l) => l.label === measured);
  const unit = plan.model === 'open' ? 'iterations/s' : 'VUs';
  const level: LoadLevel = row === undefined
    ? { label: `level ${plan.index}`, load: { unit, value: plan.load }, durationMs: 0, requestsPerSec: 0, iterationsPerSec: 0, droppedIterations: 0, verdict: '-', note: 'the level did not run' }
    : { ...row, label: `level ${plan.index}`, load: { unit, value: plan.load } };
  if (level.verdict === 'pass' && plan.model === 'open' && level.iterationsPerSec < SUSTAINED_SHARE * plan.load) {
    level.verdict = 'fail';
    level.note = `offered ${plan.load}/s, achieved ${level.iterationsPerSec.toFixed(1)}/s (${level.droppedIterations} iterations dropped)`;
  }
  const messages = lines.filter((l) => /^(error|warning):/.test(l) && !/scenarios .*replaced|thresholds crossed/.test(l));
  return { level, record: outcome.record, exitCode: outcome.exitCode, messages };
}
