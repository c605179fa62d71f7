import { MessageChannel } from 'node:worker_threads';
import type Tinypool from 'tinypool';
import { toError } from '../errors.js';
import type { CoordinatorMessage, WorkerMessage, WorkerResult, WorkerTask } from './protocol.js';
import type { ScriptExit } from './script-faults.js';

/** How a worker thread was lost. */
export type WorkerFaultKind = 'exited' | 'out-of-memory' | 'terminated' | 'crashed';

/** A task that ended without a result because its worker thread is gone, and why. */
export class WorkerFault extends Error {
  readonly kind: WorkerFaultKind;
  /** Set when the script called process.exit(). */
  readonly exit: ScriptExit | undefined;
  constructor(kind: WorkerFaultKind, message: string, exit?: ScriptExit) {
    super(message);
    this.name = 'WorkerFault';
    this.kind = kind;
    this.exit = exit;
  }
}

/** A task as the coordinator writes it: startTask adds the port. */
export type TaskSpec = WorkerTask extends infer T ? (T extends WorkerTask ? Omit<T, 'port'> : never) : never;

/** One task running in a worker thread. */
export interface TaskChannel {
  /** The task's result; rejects with a WorkerFault when its thread exits, runs out of memory, crashes or is terminated. */
  readonly result: Promise<WorkerResult>;
  /** Sends the task a message (start, stop, control), if it is still running. */
  post(message: CoordinatorMessage): void;
  /** Ends the task's thread now (a task stuck past its deadline): `result` rejects with kind 'terminated'. */
  terminate(): void;
  /** The thread running the task, once it has started (Node's id, and Linux's). */
  readonly threadId: number | undefined;
  readonly tid: number | undefined;
}

/** How long a finished pool task may precede its result message (they travel on two ports). */
const RESULT_AFTER_TASK_MS = 2000;
/** How long a closed port waits for the pool's reason (out of memory, a crash) before calling it an exit. */
const REASON_AFTER_CLOSE_MS = 2000;

function classify(e: unknown, exit: ScriptExit | undefined, terminated: boolean): WorkerFault {
  if (terminated) return new WorkerFault('terminated', 'the worker thread was stopped');
  if (exit !== undefined) return new WorkerFault('exited', `the script called process.exit(${exit.code})`, exit);
  const err = e === undefined ? undefined : toError(e);
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return new WorkerFault('out-of-memory', err!.message);
  return new WorkerFault('crashed', err === undefined ? 'the worker thread ended unexpectedly' : (err.stack ?? err.message));
}

/**
 * Runs `task` in one of the pool's threads with a port of its own. Progress messages go to
 * `onMessage`; the result is the port's last message, so it never overtakes them. The port closing
 * without a result means the thread is gone (process.exit() in the script, out of memory, a
 * crash): the result rejects at once with the reason, and the pool drops the dead thread. No task
 * can leave its caller waiting forever: a thread that does not answer can be terminated.
 */
export function startTask(pool: Tinypool, task: TaskSpec, onMessage: (m: WorkerMessage) => void = () => {}): TaskChannel {
  const { port1, port2 } = new MessageChannel();
  const abort = new AbortController();
  let terminated = false;
  let exit: ScriptExit | undefined;
  let settled = false;
  let threadId: number | undefined;
  let tid: number | undefined;
  const result = new Promise<WorkerResult>((resolve, reject) => {
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      port1.close();
      f();
    };
    const lost = (e: unknown) => settle(() => reject(classify(e, exit, terminated)));
    port1.on('message', (m: WorkerMessage) => {
      if (m.kind === 'result') return settle(() => resolve(m.result));
      if (m.kind === 'exit') exit = m.exit;
      if (m.kind === 'thread') ({ threadId, tid } = m);
      else if (m.kind === 'output') process[m.stream].write(m.text);
      else onMessage(m);
    });
    port1.on('close', () => {
      if (settled) return;
      // The pool learns of a thread's error (out of memory, a crash) on its own channel: give it a
      // moment to tell why, then drop the task, which makes the pool remove the dead thread.
      const drop = () => {
        if (settled) return;
        lost(undefined);
        abort.abort();
      };
      if (exit !== undefined) drop(); // process.exit(): the reason is known
      else setTimeout(drop, REASON_AFTER_CLOSE_MS).unref();
    });
    const pooled = pool.run({ ...task, port: port2 } as WorkerTask, { transferList: [port2], signal: abort.signal });
    pooled.then(
      () => setTimeout(() => lost(new Error('the worker finished its task without a result')), RESULT_AFTER_TASK_MS).unref(),
      (e: unknown) => lost(e),
    );
  });
  return {
    result,
    get threadId() {
      return threadId;
    },
    get tid() {
      return tid;
    },
    post: (m) => {
      if (!settled) port1.postMessage(m);
    },
    terminate: () => {
      if (settled) return;
      terminated = true;
      abort.abort();
    },
  };
}
