import { Yielder, type ScenarioRun } from '../scenario-run.js';
import type { VU } from '../vu.js';

/**
 * A closed-model VU: runs iterations back to back until the scenario stops, its scheduled end
 * passes, or `next()` returns undefined (no iteration left). `next()` returns the test-wide
 * iteration number of the iteration to run.
 */
export async function closedLoop(run: ScenarioRun, vu: VU, next: () => number | undefined): Promise<void> {
  run.active++;
  const yielder = new Yielder();
  try {
    while (!run.stopping && performance.now() < run.endPerfMs) {
      const iteration = next();
      if (iteration === undefined) break;
      await run.iterate(vu, iteration);
      const pause = yielder.maybeYield();
      if (pause !== undefined) await pause;
    }
  } finally {
    run.active--;
  }
}

/** A test-wide iteration counter for this worker's share: local n-th iteration → test-wide number. */
export function iterationCounter(run: ScenarioRun, limit = Number.POSITIVE_INFINITY): () => number | undefined {
  let local = 0;
  return () => (local < limit ? run.deps.seg.globalIndex(local++) : undefined);
}
