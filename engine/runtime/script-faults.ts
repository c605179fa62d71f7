import { TagSet } from '../metrics/tags.js';
import { currentScope, type WorkerRuntime } from './context.js';
import { userFrame, type RateLimitedLog } from './log.js';
import { describeFailure } from './iteration-error.js';

/** What a worker thread does when the script ends it with process.exit(). */
export interface ScriptExit {
  code: number;
  /** 'script.ts:12:7', where process.exit was called, when known. */
  where: string | undefined;
  /** The scenario whose VU called it ('' outside scenarios: module scope, setup, teardown). */
  scenario: string;
}

/**
 * Faults of the script that would otherwise end a worker thread, turned into what they are: errors
 * of the script. An exception thrown outside every iteration's promise chain (setImmediate,
 * process.nextTick, an event listener, Node's own timers; loadts's timers fail the iteration that
 * set them: vu-timers.ts) or a promise rejected with nobody waiting for it (fire-and-forget) is
 * logged with the script's file:line (rate-limited with the iteration errors), counted in
 * `script_errors`, and the worker and its VUs keep running, as k6 keeps going.
 *
 * process.exit() in script code does not leave a worker silently gone: `onExit` is told where it
 * was called (the worker reports it and sends what it measured), then the thread ends.
 */
export function installScriptFaultHandlers(deps: {
  rt: WorkerRuntime;
  log: RateLimitedLog;
  scriptFile: () => string | undefined;
  onExit: (exit: ScriptExit) => void;
}): void {
  const { rt, log } = deps;
  const record = (kind: string, value: unknown) => {
    const scope = currentScope();
    const f = describeFailure(value, scope?.vu, deps.scriptFile());
    const fields: Record<string, string> =
      scope === undefined ? { source: 'stacktrace', phase: rt.phase } : { source: 'stacktrace', scenario: scope.vu.scenario.name, vu: String(scope.vu.idInTest), iter: String(scope.vu.iteration) };
    log.error(`${kind}:${f.key}`, `${kind} in the script: ${f.message}`, fields);
    rt.registry.add(rt.loadtsMetrics.script_errors, scope?.tags ?? TagSet.EMPTY, 1);
  };
  process.on('uncaughtException', (e) => record('uncaught exception', e));
  process.on('unhandledRejection', (e) => record('unhandled promise rejection', e));

  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const where = userFrame(new Error('process.exit'), deps.scriptFile());
    deps.onExit({ code: Number(code ?? process.exitCode ?? 0) || 0, where, scenario: currentScope()?.vu.scenario.name ?? '' });
    return realExit(code ?? undefined);
  }) as typeof process.exit;
}

/**
 * Resolves after one turn of the event loop. Node reports a promise rejected with nobody waiting
 * only once the microtasks of the turn it was rejected in have run; a task awaits this before its
 * last snapshot, so that the rejections of its last iteration are logged and counted in it (they
 * were lost one run in three).
 */
export function scriptFaultsReported(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
