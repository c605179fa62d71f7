import { ExitCode, type LoadtsError } from '../errors.js';

/**
 * How a run ended, as the JSON's `loadts.state` says it:
 * - completed: the load ran its schedule (thresholds, teardown or results may still have failed)
 * - interrupted: Ctrl-C, SIGTERM or the REST API stopped it
 * - script-aborted: the script called exec.test.abort()
 * - thresholds-aborted: a threshold with abortOnFail was crossed
 * - setup-failed: setup() threw, timed out or the worker running it was lost; no load ran
 * - script-exited: the script called process.exit(); the rest of the test was stopped
 * - out-of-memory: a worker ran out of heap, or the process passed its memory limit
 * - worker-stuck: a worker did not finish by its deadline and was terminated
 * - worker-crashed: a worker thread failed inside loadts (a bug)
 * - fleet-incomplete: a fleet's coordinator did not get every instance in time; no load ran
 * - coordinator-lost: a fleet's instance stopped hearing from its coordinator and stopped
 */
export type RunState =
  | 'completed'
  | 'interrupted'
  | 'script-aborted'
  | 'thresholds-aborted'
  | 'setup-failed'
  | 'script-exited'
  | 'out-of-memory'
  | 'worker-stuck'
  | 'worker-crashed'
  | 'fleet-incomplete'
  | 'coordinator-lost';

/** States that a stop request records (the others come with a fault). */
export type StopState = 'interrupted' | 'script-aborted' | 'thresholds-aborted';

/**
 * The one source of truth for how a run ended: the first stop request or fault sets the state,
 * every error is kept in order, and the exit code follows from them by one documented rule
 * (docs/exit-codes.md): 105 (interrupted), 108 (script aborted), then the first error of the run
 * (100, 101, 107, 111, 112, 113, 103), then 99 (a threshold crossed), then the first error in
 * writing the results, else 0. Read it last, when everything that can fail has run.
 */
export class RunEnd {
  #state: RunState = 'completed';
  #stateSet = false;
  #stopMessage: string | undefined;
  #stopped = false;
  readonly #errors: LoadtsError[] = [];
  readonly #resultErrors: LoadtsError[] = [];

  /** Records a stop request; returns false when the run was already stopping. */
  stop(state: StopState, message: string): boolean {
    if (this.#stopped) return false;
    this.#stopped = true;
    this.#stopMessage = message;
    this.#setState(state);
    return true;
  }

  /** Records an error of the run; `state` says how it ended the run, when it did. */
  fail(error: LoadtsError, state?: RunState): void {
    this.#errors.push(error);
    if (state !== undefined) {
      this.#stopped = true;
      this.#setState(state);
    }
  }

  /** Records a failure to produce the results (handleSummary threw, a file could not be written). */
  failResults(error: LoadtsError): void {
    this.#resultErrors.push(error);
  }

  /** Whether the load should stop (or not start): a stop was requested or a fault ended the run. */
  get stopped(): boolean {
    return this.#stopped;
  }

  get state(): RunState {
    return this.#state;
  }

  /** Why the run was stopped early, as given to stop(). */
  get stopMessage(): string | undefined {
    return this.#stopMessage;
  }

  /** The first error of the run (not of writing its results). */
  get firstError(): LoadtsError | undefined {
    return this.#errors[0];
  }

  /** Every error, in the order they happened, results errors last: one line each. */
  messages(): string[] {
    return [...this.#errors, ...this.#resultErrors].map((e) => e.message);
  }

  /** The exit code (see the class comment for the order). */
  exitCode(thresholdsFailed: boolean): number {
    if (this.#state === 'interrupted') return ExitCode.ExternalAbort;
    if (this.#state === 'script-aborted') return ExitCode.ScriptAborted;
    const first = this.#errors[0];
    if (first !== undefined) return first.exitCode;
    if (thresholdsFailed || this.#state === 'thresholds-aborted') return ExitCode.ThresholdsFailed;
    return this.#resultErrors[0]?.exitCode ?? ExitCode.OK;
  }

  #setState(state: RunState): void {
    if (this.#stateSet) return;
    this.#stateSet = true;
    this.#state = state;
  }
}
