import type { ScenarioRun } from '../scenario-run.js';
import { closedLoop, iterationCounter } from './closed-loop.js';

/** shared-iterations: VUs share a fixed number of iterations, taking the next one when free. */
export async function runSharedIterations(run: ScenarioRun): Promise<void> {
  const total = run.deps.plan.iterations ?? 0;
  run.setProgress(() => (total === 0 ? 1 : (run.complete + run.failed) / total));
  const next = iterationCounter(run, total);
  const loops: Promise<void>[] = [];
  for (let local = 0; local < run.deps.plan.initialVUs; local++) loops.push(closedLoop(run, run.newVU(local), next));
  await run.finish(Promise.all(loops));
}
