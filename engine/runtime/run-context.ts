import type { LoadtsError } from '../errors.js';
import type { Collector } from './collector.js';
import type { CoordinatorMessage } from './protocol.js';
import type { OutputSet } from '../output/outputs/index.js';
import { GeneratorMonitor } from './generator-monitor.js';
import { SampleTables } from '../output/outputs/sample-tables.js';
import type { PreparedTest } from './prepare.js';
import { RunEnd, type RunState, type StopState } from './run-end.js';
import type { RunRequest } from './run-types.js';
import type { FleetRecord } from '../record/types.js';
import type { TargetWatch } from '../watch/target-watch.js';

/**
 * What the phases of one run share: the prepared test, the request, the merged results so far,
 * how the run is ending, and the way to stop whatever runs now. A phase that runs something
 * stoppable (setup, the load) registers how to stop it with `onStop` for as long as it runs.
 */
export class RunContext {
  readonly end = new RunEnd();
  readonly #stopHooks = new Set<() => void>();
  /** Run once the run is over, in order (signal handlers, the REST API). */
  readonly cleanups: Array<() => void> = [];
  /** performance.now() when the load started (0 before). */
  loadStartPerf = 0;
  /** Warnings about the results (a generator-bound worker), kept in the run record. */
  readonly warnings: string[] = [];
  /** The load generator's own CPU and the machine (the record's environment). */
  readonly monitor = new GeneratorMonitor((line) => this.warn(line));
  /** Errors already printed when they happened (the end of the run does not repeat them). */
  readonly said = new Set<string>();
  /** Raw samples from the workers, to the outputs that want them. */
  readonly samples: SampleTables;
  /**
   * The latest REST API change of each externally-controlled scenario: sent to the workers as they
   * start, so a change made before the load began (during setup) is not lost.
   */
  readonly controls = new Map<string, Extract<CoordinatorMessage, { kind: 'control' }>>();
  /** The wall-clock time before which the time series' intervals may close (every report for them is in). */
  seriesWatermark: () => number = () => 0;
  /** A fleet's or merge's parts, for the record (set by a fleet's load phase). */
  fleet: FleetRecord | undefined;
  /** The watched target (--watch-pid / --watch-cmd), when there is one. */
  watch: TargetWatch | undefined;
  /** Sends every load worker a message (set by the load phase while it runs). */
  broadcast: (m: CoordinatorMessage) => void = () => {};

  constructor(
    readonly test: PreparedTest,
    readonly req: RunRequest,
    readonly collector: Collector,
    readonly outputs: OutputSet,
    readonly say: (line: string) => void,
  ) {
    const defs = new Map(test.init.metricDefs.map((d) => [d.name, d]));
    this.samples = new SampleTables((name) => defs.get(name) ?? collector.aggregate.def(name), (batch) => outputs.addSamples(batch));
  }

  /** Prints a warning about the results and keeps it for the record. */
  warn(line: string): void {
    this.warnings.push(line);
    this.say(`warning: ${line}`);
  }

  /** Prints an error now, as one line (`suffix` adds what happens next), once. */
  sayError(error: LoadtsError, suffix = ''): void {
    this.said.add(error.message);
    this.say(`error: ${error.message}${suffix}`);
  }

  /** Stops the run early (first request wins) and whatever runs now. */
  stop(state: StopState, message: string): void {
    if (this.end.stop(state, message)) this.#stopRunning();
  }

  /** Records a fault that ends the run (a lost worker, the memory limit), says it, and stops whatever runs now. */
  fail(error: LoadtsError, state: RunState): void {
    const wasStopped = this.end.stopped;
    this.end.fail(error, state);
    this.sayError(error);
    if (!wasStopped) this.#stopRunning();
  }

  /** Registers what a stop does while the caller runs; returns the unregister. */
  onStop(fn: () => void): () => void {
    if (this.end.stopped) fn();
    this.#stopHooks.add(fn);
    return () => this.#stopHooks.delete(fn);
  }

  #stopRunning(): void {
    for (const fn of [...this.#stopHooks]) fn();
  }
}
