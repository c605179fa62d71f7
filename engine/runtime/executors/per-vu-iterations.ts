import type { ScenarioRun } from '../scenario-run.js';
import { closedLoop, iterationCounter } from './closed-loop.js';

/** per-vu-iterations: every VU runs the same number of iterations. */
export async function runPerVUIterations(run: ScenarioRun): Promise<void> {
  const { scenario, plan } = run.deps;
  const perVU = scenario.executor === 'per-vu-iterations' ? scenario.iterations : 0;
  const total = plan.iterations ?? 0;
  run.setProgress(() => (total === 0 ? 1 : (run.complete + run.failed) / total));
  const counter = iterationCounter(run);
  const loops: Promise<void>[] = [];
  for (let local = 0; local < plan.initialVUs; local++) {
    let left = perVU;
    loops.push(closedLoop(run, run.newVU(local), () => (left-- > 0 ? counter() : undefined)));
  }
  await run.finish(Promise.all(loops));
}
