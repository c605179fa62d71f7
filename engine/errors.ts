/**
 * Exit codes follow k6 (https://github.com/grafana/k6/blob/master/errext/exitcodes/codes.go), so CI
 * jobs written for k6 gate on loadts the same way.
 */
export const ExitCode = {
  OK: 0,
  /** A threshold was crossed (also when abortOnFail stopped the run, as in k6). */
  ThresholdsFailed: 99,
  SetupTimeout: 100,
  TeardownTimeout: 101,
  GenericTimeout: 102,
  GenericEngine: 103,
  /** Invalid options, flags, durations, thresholds or scenarios. */
  InvalidConfig: 104,
  /** Stopped from outside: Ctrl-C (SIGINT/SIGTERM) or the REST API. */
  ExternalAbort: 105,
  CannotStartRestAPI: 106,
  /** The script failed to bundle, or threw in the init context, setup, teardown or handleSummary. */
  ScriptException: 107,
  /** The script called exec.test.abort(). */
  ScriptAborted: 108,
  /** loadts's own: HTTP requests were made and not one got a response (target down, wrong URL). */
  TargetUnreachable: 111,
  /** loadts's own: a worker thread ran out of heap, or the process passed its memory limit. */
  OutOfMemory: 112,
  /** loadts's own: a worker did not finish by its deadline (VU code that never yields) and was stopped. */
  WorkerStuck: 113,
  /** loadts's own: a fleet's instance or its coordinator was lost mid-run (results lack its part). */
  FleetPartLost: 114,
  /** loadts's own: a fleet did not form: an instance was refused (token, late, full), missing or could not prepare. */
  FleetNotFormed: 115,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Stable machine-readable error codes; each maps to one exit code. */
export type LoadtsErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_DURATION'
  | 'INVALID_THRESHOLD'
  | 'INVALID_SCENARIO'
  | 'INVALID_FLAG'
  | 'CONFIG_FILE'
  | 'SCRIPT_BUNDLE'
  | 'SCRIPT_INIT'
  | 'SCRIPT_SETUP'
  | 'SCRIPT_TEARDOWN'
  | 'SCRIPT_HANDLE_SUMMARY'
  | 'SETUP_TIMEOUT'
  | 'TEARDOWN_TIMEOUT'
  | 'REST_API'
  | 'TARGET_UNREACHABLE'
  | 'SCRIPT_EXIT'
  | 'OUT_OF_MEMORY'
  | 'MEMORY_LIMIT'
  | 'WORKER_STUCK'
  | 'OUTPUT'
  | 'RECORD'
  | 'FLEET_LOST'
  | 'FLEET_REFUSED'
  | 'FLEET_INCOMPLETE'
  | 'ENGINE';

const exitCodeOf: Record<LoadtsErrorCode, ExitCode> = {
  INVALID_OPTION: ExitCode.InvalidConfig,
  INVALID_DURATION: ExitCode.InvalidConfig,
  INVALID_THRESHOLD: ExitCode.InvalidConfig,
  INVALID_SCENARIO: ExitCode.InvalidConfig,
  INVALID_FLAG: ExitCode.InvalidConfig,
  CONFIG_FILE: ExitCode.InvalidConfig,
  SCRIPT_BUNDLE: ExitCode.ScriptException,
  SCRIPT_INIT: ExitCode.ScriptException,
  SCRIPT_SETUP: ExitCode.ScriptException,
  SCRIPT_TEARDOWN: ExitCode.ScriptException,
  SCRIPT_HANDLE_SUMMARY: ExitCode.ScriptException,
  SETUP_TIMEOUT: ExitCode.SetupTimeout,
  TEARDOWN_TIMEOUT: ExitCode.TeardownTimeout,
  REST_API: ExitCode.CannotStartRestAPI,
  TARGET_UNREACHABLE: ExitCode.TargetUnreachable,
  /** The script called process.exit() (at module scope or in VU code). */
  SCRIPT_EXIT: ExitCode.ScriptException,
  OUT_OF_MEMORY: ExitCode.OutOfMemory,
  MEMORY_LIMIT: ExitCode.OutOfMemory,
  WORKER_STUCK: ExitCode.WorkerStuck,
  /** A result file could not be written (checked before the test too, as INVALID_FLAG). */
  OUTPUT: ExitCode.GenericEngine,
  /** A run record that cannot be read (loadts summary, report, compare, merge): missing, not a record, too new. */
  RECORD: ExitCode.InvalidConfig,
  /** A fleet's instance stopped reporting (the coordinator goes on without its segment), or an instance lost its coordinator. */
  FLEET_LOST: ExitCode.FleetPartLost,
  /** The coordinator refused an instance: a wrong token, a late or extra instance, another loadts version. */
  FLEET_REFUSED: ExitCode.FleetNotFormed,
  /** Not every instance joined and prepared the test in time, or one failed to prepare it. */
  FLEET_INCOMPLETE: ExitCode.FleetNotFormed,
  ENGINE: ExitCode.GenericEngine,
};

/**
 * A user-facing failure: `message` is one line that says what is wrong and where
 * (option path, flag, file:line:column), without a stack trace.
 */
export class LoadtsError extends Error {
  readonly code: LoadtsErrorCode;
  readonly exitCode: ExitCode;
  constructor(code: LoadtsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoadtsError';
    this.code = code;
    this.exitCode = exitCodeOf[code];
  }
}

/** Turns anything thrown into an Error. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}

/** Throws an engine error when `condition` is false (an invariant, not user input). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new LoadtsError('ENGINE', `internal error: ${message}`);
}
