import { Ramp } from '../../execution/ramp.js';
import { Yielder, type ScenarioRun } from '../scenario-run.js';
import type { VU } from '../vu.js';
import { iterationCounter } from './closed-loop.js';

/** Whole VUs of a ramp at `tMs`: a stage's count moves one VU at a time from its start toward its target. */
export function rampVUsAt(ramp: Ramp, tMs: number): number {
  const v = ramp.valueAt(tMs);
  const index = ramp.stageAt(tMs);
  const stage = ramp.stages[index];
  const from = ramp.valueAt(ramp.stageStartMs(index));
  // Round toward the stage's starting value: going up a VU joins when the curve reaches it,
  // going down it leaves when the curve passes below it.
  if (stage !== undefined && stage.target < from) return Math.ceil(v - 1e-9);
  return Math.floor(v + 1e-9);
}

/**
 * ramping-vus: the number of looping VUs follows the stages. VUs above the current target finish
 * their iteration (within gracefulRampDown) and wait; samples carry the `stage` tag.
 */
export async function runRampingVUs(run: ScenarioRun): Promise<void> {
  const { scenario, plan, seg } = run.deps;
  if (scenario.executor !== 'ramping-vus') throw new Error('ramping-vus runner got another executor');
  const ramp = new Ramp(scenario.startVUs, scenario.stages);
  const baseTags = run.info.tags;
  run.setProgress(() => run.timeProgress());
  const next = iterationCounter(run);

  let target = 0;
  let stage = -1;
  const waiting = new Map<VU, () => void>();
  const rampDownTimers = new Map<VU, NodeJS.Timeout>();
  const localIndex = new Map<VU, number>();

  const update = (): void => {
    const t = Math.max(performance.now() - run.startPerfMs, 0);
    const s = ramp.stageAt(t);
    if (s !== stage) {
      stage = s;
      run.info.tags = baseTags.with('stage', String(s));
    }
    const newTarget = seg.count(rampVUsAt(ramp, t));
    if (newTarget === target) return;
    target = newTarget;
    for (const [vu, wake] of waiting) {
      if ((localIndex.get(vu) ?? 0) < target) {
        waiting.delete(vu);
        wake();
      }
    }
  };

  const loop = async (vu: VU, index: number): Promise<void> => {
    const yielder = new Yielder();
    run.active++;
    while (!run.stopping && performance.now() < run.endPerfMs) {
      if (index >= target) {
        run.active--;
        await new Promise<void>((resolve) => waiting.set(vu, resolve));
        run.active++;
        continue;
      }
      await run.iterate(vu, next() ?? 0);
      const timer = rampDownTimers.get(vu);
      if (timer !== undefined) {
        clearTimeout(timer);
        rampDownTimers.delete(vu);
      }
      const pause = yielder.maybeYield();
      if (pause !== undefined) await pause;
    }
    run.active--;
  };

  // VUs that drop out of the target mid-iteration get gracefulRampDown to finish it.
  const watchRampDown = (): void => {
    for (let i = target; i < run.vus.length; i++) {
      const vu = run.vus[i]!;
      if (waiting.has(vu) || rampDownTimers.has(vu)) continue;
      const iteration = vu.iteration;
      rampDownTimers.set(
        vu,
        setTimeout(() => {
          rampDownTimers.delete(vu);
          if (vu.iteration === iteration && !waiting.has(vu)) vu.interrupt();
        }, scenario.gracefulRampDownMs),
      );
    }
  };

  update();
  const ticker = setInterval(() => {
    update();
    watchRampDown();
  }, 10);
  const loops: Promise<void>[] = [];
  for (let local = 0; local < plan.maxVUs; local++) {
    const vu = run.newVU(local);
    localIndex.set(vu, local);
    loops.push(loop(vu, local));
  }
  const wakeAll = (): void => {
    for (const wake of waiting.values()) wake();
    waiting.clear();
  };
  const endWatcher = run.waitUntil(run.endPerfMs).then(wakeAll);
  try {
    await run.finish(Promise.all(loops));
  } finally {
    clearInterval(ticker);
    for (const t of rampDownTimers.values()) clearTimeout(t);
    wakeAll();
    await endWatcher;
  }
}
