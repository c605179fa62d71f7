import { arrivalRamp } from '../../execution/plan.js';
import type { Ramp } from '../../execution/ramp.js';
import type { TagSet } from '../../metrics/tags.js';
import type { ScenarioRun } from '../scenario-run.js';
import type { VU } from '../vu.js';

function yieldToIO(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * One worker's share of an arrival-rate scenario: the schedule that starts its iterations, its free
 * VUs and its iterations in flight.
 */
class OpenModelRun {
  readonly #run: ScenarioRun;
  readonly #ramp: Ramp;
  readonly #total: number;
  readonly #ramping: boolean;
  /** The scenario's tags before any stage tag: each stage's tags are these plus its own. */
  readonly #baseTags: TagSet;
  readonly #free: VU[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  #started = 0;
  #stage = -1;

  constructor(run: ScenarioRun) {
    const { scenario, plan } = run.deps;
    this.#run = run;
    this.#ramp = arrivalRamp(scenario);
    this.#total = plan.iterations ?? 0;
    this.#baseTags = run.info.tags;
    this.#ramping = scenario.executor === 'ramping-arrival-rate';
    run.setProgress(() => run.timeProgress());
    for (let local = 0; local < plan.initialVUs; local++) this.#free.push(run.newVU(local));
  }

  // Every iteration due before the scheduled end is started or counted as dropped: starts plus
  // drops are exactly the schedule. One still waiting for its start when the end comes (the
  // generator fell behind, or its timer fired just after the end) is dropped, so a saturated
  // generator shows up as start lag and dropped iterations and the run still ends on time.
  async schedule(): Promise<void> {
    const run = this.#run;
    const { plan, seg, rt } = run.deps;
    const ramp = this.#ramp;
    while (this.#started < this.#total && !run.halted) {
      const iterationInTest = seg.globalIndex(this.#started);
      const dueMs = ramp.timeForArea(iterationInTest);
      if (!Number.isFinite(dueMs) || dueMs >= ramp.durationMs) break;
      const duePerf = run.startPerfMs + dueMs;
      if (run.stopping) {
        this.#started++;
        run.drop();
        continue;
      }
      if (performance.now() < duePerf) {
        // false: stopped, by a halt or by the scheduled end, which is later than duePerf; both are
        // handled at the top of the loop.
        await run.waitUntil(duePerf);
        continue;
      }
      this.#started++;
      if (this.#ramping) this.#enterStageOf(iterationInTest);
      let vu = this.#free.pop();
      if (vu === undefined && run.vus.length < plan.maxVUs) {
        // Before making a VU (and, on its first request, a connection), let the event loop hand
        // over the responses that have arrived: their VUs are free for this iteration. Without
        // this a backlog of due iterations (a stall, a busy start) is started all at once on new
        // VUs and new connections, whose cost deepens the backlog (measured: 4,000/s on one core
        // grew to 2,000 VUs in 0.7 s and dropped half its iterations).
        await yieldToIO();
        if (run.halted) break;
        vu = this.#free.pop() ?? run.newVU(run.vus.length);
      }
      if (vu === undefined) {
        run.drop();
        continue;
      }
      rt.registry.add(rt.loadtsMetrics.iteration_start_lag, run.info.tags, performance.now() - duePerf);
      this.#start(vu, iterationInTest, duePerf);
    }
  }

  /** Waits for the iterations in flight. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
  }

  /** ramping-arrival-rate: the stage by the iteration's place in the schedule, so one due exactly at a stage's end is the next stage's. */
  #enterStageOf(iterationInTest: number): void {
    const s = this.#ramp.stageForArea(iterationInTest);
    if (s !== this.#stage) {
      this.#stage = s;
      this.#run.enterStage(s, this.#baseTags);
    }
  }

  #start(vu: VU, iterationInTest: number, duePerf: number): void {
    const run = this.#run;
    run.active++;
    const p: Promise<unknown> = run.iterate(vu, iterationInTest, duePerf).finally(() => {
      run.active--;
      this.#inFlight.delete(p);
      this.#free.push(vu);
    });
    this.#inFlight.add(p);
  }
}

/**
 * constant-arrival-rate and ramping-arrival-rate (the open model). Test-wide iteration i is due
 * when the area under the rate curve reaches i, measured from the scenario start, never from the
 * previous iteration; this worker starts only the iterations its segment owns. A due iteration
 * takes a free VU, or a new one while fewer than maxVUs exist; otherwise it is dropped and counted
 * in `dropped_iterations`. How late each start was is recorded in `iteration_start_lag`.
 */
export async function runArrivalRate(run: ScenarioRun): Promise<void> {
  const open = new OpenModelRun(run);
  const work = open.schedule().then(() => open.drain());
  await run.finish(work);
}
