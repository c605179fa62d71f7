import { Ramp } from '../../execution/ramp.js';
import type { ScenarioRun } from '../scenario-run.js';
import { DynamicVUPool } from './vu-pool.js';

/** Whole VUs of a ramp at `tMs`: a stage's count moves one VU at a time from its start toward its target. */
export function rampVUsAt(ramp: Ramp, tMs: number): number {
  const v = ramp.valueAt(tMs);
  const index = ramp.stageAt(tMs);
  const stage = ramp.stages[index];
  const from = ramp.valueAt(ramp.stageStartMs(index));
  // Round toward the stage's starting value: going up, a VU joins when the curve reaches it;
  // going down, it leaves when the curve passes below it.
  if (stage !== undefined && stage.target < from) return Math.ceil(v - 1e-9);
  return Math.floor(v + 1e-9);
}

/**
 * ramping-vus: the number of looping VUs follows the stages (checked every 10 ms); samples carry
 * the `stage` tag (0-based index of the current stage).
 */
export async function runRampingVUs(run: ScenarioRun): Promise<void> {
  const { scenario, plan, seg } = run.deps;
  if (scenario.executor !== 'ramping-vus') throw new Error('ramping-vus runner got another executor');
  const ramp = new Ramp(scenario.startVUs, scenario.stages);
  const baseTags = run.info.tags;
  run.setProgress(() => run.timeProgress());
  const pool = new DynamicVUPool(run, scenario.gracefulRampDownMs);
  let stage = -1;
  const update = (): void => {
    const t = Math.max(performance.now() - run.startPerfMs, 0);
    const s = ramp.stageAt(t);
    if (s !== stage) {
      stage = s;
      run.enterStage(s, baseTags);
    }
    pool.setTarget(seg.count(rampVUsAt(ramp, t)), plan.maxVUs);
  };
  update();
  const ticker = setInterval(update, 10);
  const ended = run.waitUntil(run.endPerfMs).then(() => pool.wakeAll());
  try {
    // The pool may have no VU yet (a ramp from 0): the work lasts until the scheduled end.
    await run.finish(run.waitUntil(run.endPerfMs).then(() => pool.settled()));
  } finally {
    clearInterval(ticker);
    pool.wakeAll();
    await ended;
  }
}
