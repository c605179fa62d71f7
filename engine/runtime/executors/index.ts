import type { ExecutorName } from '../../options/types.js';
import type { ScenarioRun } from '../scenario-run.js';
import { runArrivalRate } from './arrival-rate.js';
import { runConstantVUs } from './constant-vus.js';
import { runExternallyControlled } from './externally-controlled.js';
import { runPerVUIterations } from './per-vu-iterations.js';
import { runRampingVUs } from './ramping-vus.js';
import { runSharedIterations } from './shared-iterations.js';

/** The worker-side runtime of each executor: decides when which VU runs an iteration. */
export const executorRunners: Record<ExecutorName, (run: ScenarioRun) => Promise<void>> = {
  'shared-iterations': runSharedIterations,
  'per-vu-iterations': runPerVUIterations,
  'constant-vus': runConstantVUs,
  'ramping-vus': runRampingVUs,
  'constant-arrival-rate': runArrivalRate,
  'ramping-arrival-rate': runArrivalRate,
  'externally-controlled': runExternallyControlled,
};
