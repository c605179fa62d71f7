/**
 * `import exec from 'loadts/execution'` (also 'k6/execution'): who and where the running VU is.
 * @module loadts/execution
 */
import { currentScope, getRuntime, requireScope } from '../runtime/context.js';

function vuTags(): Record<string, string> {
  const scope = requireScope('exec.vu.tags');
  const { vu } = scope;
  return new Proxy(vu.userTags, {
    get: (_t, key) => (typeof key === 'string' ? (currentScope()?.tags.get(key) ?? vu.userTags[key]) : undefined),
    set: (t, key, value) => {
      if (typeof key !== 'string') return false;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new TypeError(`exec.vu.tags.${key} must be a string, number or boolean`);
      }
      t[key] = String(value);
      const s = currentScope();
      if (s !== undefined) s.tags = s.tags.with(key, String(value));
      return true;
    },
  });
}

const exec = {
  /** The running VU. */
  get vu() {
    const { vu } = requireScope('exec.vu');
    return {
      idInTest: vu.idInTest,
      idInInstance: vu.idInInstance,
      iterationInInstance: vu.iteration,
      iterationInScenario: vu.iteration,
      get tags() {
        return vuTags();
      },
      metrics: {
        get tags() {
          return vuTags();
        },
      },
    };
  },
  /** The running scenario. */
  get scenario() {
    const { vu } = requireScope('exec.scenario');
    const s = vu.scenario;
    return {
      name: s.name,
      executor: s.executor,
      startTime: performance.timeOrigin + s.startPerfMs,
      progress: s.progress(),
      iterationInInstance: vu.iterationInTest,
      iterationInTest: vu.iterationInTest,
    };
  },
  /**
   * This loadts instance (process), as k6's exec.instance, and the worker thread. The counters are
   * the process's: this worker's live, the other workers' as of their last status (≤ 0.2 s old).
   */
  get instance() {
    const rt = getRuntime();
    const c = rt.instance.counters();
    return {
      /** ms since the test run started (before setup). */
      currentTestRunDuration: performance.timeOrigin + performance.now() - rt.instance.startedAtMs,
      iterationsCompleted: c.iterationsCompleted,
      iterationsInterrupted: c.iterationsInterrupted,
      vusActive: c.vusActive,
      vusInitialized: c.vusInitialized,
      workerIndex: rt.instance.workerIndex,
      workers: rt.instance.workers,
    };
  },
  /**
   * The watched target's latest sample (loadts's own: `--watch-pid` / `--watch-cmd`), at most about
   * a second old, for checks: `{ atMs, rssBytes, cpuPercent, fds, threads }`; undefined without a
   * watch, and until its first sample.
   */
  get target() {
    const t = getRuntime().target;
    return t === undefined ? undefined : { ...t };
  },
  /** The whole test. */
  test: {
    /** Stops the test; results are still written and loadts exits with code 108. */
    abort(reason = ''): never {
      getRuntime().abortTest(reason);
      throw new Error(`test aborted${reason ? `: ${reason}` : ''}`);
    },
    /** The resolved options. */
    get options() {
      return getRuntime().options;
    },
  },
};

export default exec;
