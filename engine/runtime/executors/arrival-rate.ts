import { arrivalRamp } from '../../execution/plan.js';
import type { ScenarioRun } from '../scenario-run.js';
import type { VU } from '../vu.js';

/**
 * constant-arrival-rate and ramping-arrival-rate (the open model). Test-wide iteration i is due
 * when the area under the rate curve reaches i, measured from the scenario start, never from the
 * previous iteration; this worker starts only the iterations its segment owns. A due iteration
 * takes a free VU, or a new one while fewer than maxVUs exist; otherwise it is dropped and counted
 * in `dropped_iterations`. How late each start was is recorded in `iteration_start_lag`.
 */
export async function runArrivalRate(run: ScenarioRun): Promise<void> {
  const { scenario, plan, seg, rt } = run.deps;
  const ramp = arrivalRamp(scenario);
  const total = plan.iterations ?? 0;
  const baseTags = run.info.tags;
  const ramping = scenario.executor === 'ramping-arrival-rate';
  let started = 0;
  run.setProgress(() => run.timeProgress());

  const free: VU[] = [];
  for (let local = 0; local < plan.initialVUs; local++) free.push(run.newVU(local));
  const inFlight = new Set<Promise<unknown>>();
  let stage = -1;

  const start = (vu: VU, iterationInTest: number, duePerf: number): void => {
    run.active++;
    const p: Promise<unknown> = run.iterate(vu, iterationInTest, duePerf).finally(() => {
      run.active--;
      inFlight.delete(p);
      free.push(vu);
    });
    inFlight.add(p);
  };

  // Every iteration due before the scheduled end starts (late if need be) or is dropped, even when
  // the timer for the last ones fires after the end: the starts are exactly the schedule.
  const schedule = async (): Promise<void> => {
    while (started < total && !run.halted) {
      const iterationInTest = seg.globalIndex(started);
      const dueMs = ramp.timeForArea(iterationInTest);
      if (!Number.isFinite(dueMs) || dueMs >= ramp.durationMs) break;
      const duePerf = run.startPerfMs + dueMs;
      if (performance.now() < duePerf) {
        // false: stopped, by a halt or by the scheduled end, which is later than duePerf; both are
        // handled at the top of the loop.
        await run.waitUntil(duePerf);
        continue;
      }
      started++;
      if (ramping) {
        // by the iteration's place in the schedule, so one due exactly at a stage's end is the next stage's
        const s = ramp.stageForArea(iterationInTest);
        if (s !== stage) {
          stage = s;
          run.enterStage(s, baseTags);
        }
      }
      let vu = free.pop();
      if (vu === undefined && run.vus.length < plan.maxVUs) vu = run.newVU(run.vus.length);
      if (vu === undefined) {
        run.drop();
        continue;
      }
      rt.registry.add(rt.loadtsMetrics.iteration_start_lag, run.info.tags, performance.now() - duePerf);
      start(vu, iterationInTest, duePerf);
    }
  };

  const work = schedule().then(async () => {
    while (inFlight.size > 0) await Promise.race(inFlight);
  });
  await run.finish(work);
}
