import { Yielder, type ScenarioRun } from '../scenario-run.js';
import type { VU } from '../vu.js';
import { iterationCounter } from './closed-loop.js';

/**
 * Closed-model VUs whose number changes while the scenario runs (ramping-vus, externally-controlled).
 * VU k (in this worker) loops while k < target; VUs above the target finish their iteration within
 * `gracefulRampDownMs` (then it is interrupted) and wait until the target rises again.
 */
export class DynamicVUPool {
  readonly #run: ScenarioRun;
  readonly #gracefulRampDownMs: number;
  readonly #next: () => number | undefined;
  readonly #waiting = new Map<VU, () => void>();
  readonly #rampDownTimers = new Map<VU, NodeJS.Timeout>();
  readonly #loops: Promise<void>[] = [];
  #target = 0;

  constructor(run: ScenarioRun, gracefulRampDownMs: number) {
    this.#run = run;
    this.#gracefulRampDownMs = gracefulRampDownMs;
    this.#next = iterationCounter(run);
    run.onStopping(() => this.wakeAll());
  }

  /** Current target (VUs allowed to loop in this worker). */
  get target(): number {
    return this.#target;
  }

  /** Sets how many of this worker's VUs loop, creating VUs up to `target` (within `maxVUs`). */
  setTarget(target: number, maxVUs: number): void {
    const run = this.#run;
    const t = Math.max(0, Math.min(target, maxVUs));
    while (run.vus.length < t) {
      const index = run.vus.length;
      this.#loops.push(this.#loop(run.newVU(index), index));
    }
    if (t === this.#target) return;
    const lowered = t < this.#target;
    this.#target = t;
    for (const [vu, wake] of this.#waiting) {
      if (run.vus.indexOf(vu) < t) {
        this.#waiting.delete(vu);
        wake();
      }
    }
    if (lowered) this.#watchRampDown();
  }

  /** Resolves when every VU loop has ended (after the scenario stops). */
  async settled(): Promise<void> {
    let n = -1;
    // VUs may be added while we wait.
    while (n !== this.#loops.length) {
      n = this.#loops.length;
      await Promise.all(this.#loops);
    }
  }

  /** Wakes every waiting VU so its loop can see that the scenario ended. */
  wakeAll(): void {
    for (const wake of this.#waiting.values()) wake();
    this.#waiting.clear();
    for (const t of this.#rampDownTimers.values()) clearTimeout(t);
    this.#rampDownTimers.clear();
  }

  async #loop(vu: VU, index: number): Promise<void> {
    const run = this.#run;
    const yielder = new Yielder();
    run.active++;
    while (!run.stopping && performance.now() < run.endPerfMs) {
      if (index >= this.#target) {
        run.active--;
        await new Promise<void>((resolve) => this.#waiting.set(vu, resolve));
        run.active++;
        continue;
      }
      await run.iterate(vu, this.#next() ?? 0);
      const timer = this.#rampDownTimers.get(vu);
      if (timer !== undefined) {
        clearTimeout(timer);
        this.#rampDownTimers.delete(vu);
      }
      const pause = yielder.maybeYield();
      if (pause !== undefined) await pause;
    }
    run.active--;
  }

  /** VUs that left the target mid-iteration get gracefulRampDown to finish it. */
  #watchRampDown(): void {
    const run = this.#run;
    for (let i = this.#target; i < run.vus.length; i++) {
      const vu = run.vus[i]!;
      if (this.#waiting.has(vu) || this.#rampDownTimers.has(vu)) continue;
      const iteration = vu.iteration;
      this.#rampDownTimers.set(
        vu,
        setTimeout(() => {
          this.#rampDownTimers.delete(vu);
          if (vu.iteration === iteration && !this.#waiting.has(vu)) vu.interrupt();
        }, this.#gracefulRampDownMs),
      );
    }
  }
}
