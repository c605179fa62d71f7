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
function yieldToIO(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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

  // Every iteration due before the scheduled end is started or counted as dropped: starts plus
  // drops are exactly the schedule. One still waiting for its start when the end comes (the
  // generator fell behind, or its timer fired just after the end) is dropped, so a saturated
  // generator shows up as start lag and dropped iterations and the run still ends on time.
  const schedule = async (): Promise<void> => {
    while (started < total && !run.halted) {
      const iterationInTest = seg.globalIndex(started);
      const dueMs = ramp.timeForArea(iterationInTest);
      if (!Number.isFinite(dueMs) || dueMs >= ramp.durationMs) break;
      const duePerf = run.startPerfMs + dueMs;
      if (run.stopping) {
        started++;
        run.drop();
        continue;
      }
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
      if (vu === undefined && run.vus.length < plan.maxVUs) {
        // Before making a VU (and, on its first request, a connection), let the event loop hand
        // over the responses that have arrived: their VUs are free for this iteration. Without
        // this a backlog of due iterations (a stall, a busy start) is started all at once on new
        // VUs and new connections, whose cost deepens the backlog (measured: 4,000/s on one core
        // grew to 2,000 VUs in 0.7 s and dropped half its iterations).
        await yieldToIO();
        if (run.halted) break;
        vu = free.pop() ?? run.newVU(run.vus.length);
      }
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
