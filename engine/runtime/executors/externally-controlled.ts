import type { ScenarioRun } from '../scenario-run.js';
import { DynamicVUPool } from './vu-pool.js';

/** Live settings of an externally controlled scenario (test-wide numbers). */
export interface ExternalControl {
  vus: number;
  maxVUs: number;
  paused: boolean;
}

/**
 * externally-controlled: starts with `vus` VUs and changes their number (up to `maxVUs`) or pauses
 * when the REST API says so (`loadts run --address 127.0.0.1:6565`, see docs/scenarios.md).
 */
export async function runExternallyControlled(run: ScenarioRun): Promise<void> {
  const { scenario, seg } = run.deps;
  if (scenario.executor !== 'externally-controlled') throw new Error('externally-controlled runner got another executor');
  run.setProgress(() => run.timeProgress());
  const pool = new DynamicVUPool(run, 0);
  const apply = (c: ExternalControl) => pool.setTarget(c.paused ? 0 : seg.count(c.vus), seg.count(c.maxVUs));
  apply({ vus: scenario.vus, maxVUs: scenario.maxVUs, paused: false });
  run.onControl = apply;
  const ended = run.waitUntil(run.endPerfMs).then(() => pool.wakeAll());
  try {
    // The pool may have no VU yet (a ramp from 0): the work lasts until the scheduled end.
    await run.finish(run.waitUntil(run.endPerfMs).then(() => pool.settled()));
  } finally {
    run.onControl = undefined;
    pool.wakeAll();
    await ended;
  }
}
