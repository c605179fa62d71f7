import type { ScenarioRun } from '../scenario-run.js';
import { closedLoop, iterationCounter } from './closed-loop.js';

/** constant-vus: a fixed number of VUs loop for a duration. */
export async function runConstantVUs(run: ScenarioRun): Promise<void> {
  run.setProgress(() => run.timeProgress());
  const next = iterationCounter(run);
  const loops: Promise<void>[] = [];
  for (let local = 0; local < run.deps.plan.initialVUs; local++) loops.push(closedLoop(run, run.newVU(local), next));
  await run.finish(Promise.all(loops));
}
