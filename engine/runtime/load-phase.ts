import { LoadtsError } from '../errors.js';
import { describePlan } from '../execution/plan.js';
import { ProgressReporter } from '../output/progress.js';
import { evaluateThresholds } from '../thresholds/thresholds.js';
import { trace } from '../trace.js';
import { LoadWorkers } from './load-workers.js';
import { availableMemoryBytes, DEFAULT_LIMIT_SHARE, formatBytes, MemoryGuard, WARN_SHARE } from './memory-guard.js';
import type { RunContext } from './run-context.js';

/** How a load phase differs when this process is one instance of a fleet. */
export interface LoadPhaseOptions {
  /**
   * When the workers are ready: resolves with the wall-clock start time (epoch ms) the fleet's
   * coordinator set (default: now). It may reject (the coordinator stopped the test or was lost).
   */
  startAt?: () => Promise<number>;
  /** Evaluate abortOnFail thresholds here (default true; a fleet's coordinator does it fleet-wide). */
  abortOnFail?: boolean;
}

/**
 * The load: the workers run their segments from one start time; once a second the coordinator
 * samples the VU gauges, evaluates abortOnFail thresholds and watches the process's memory; the
 * progress display and the REST API read the merged state. Returns the load's duration, ms.
 */
export async function loadPhase(ctx: RunContext, setupData: unknown, opts: LoadPhaseOptions = {}): Promise<number> {
  const vus = new VuSampler(ctx);
  const workers = new LoadWorkers(ctx, setupData, { onStatus: (i) => vus.onStatus(i, workers) });
  const unhook = ctx.onStop(() => workers.stop());
  ctx.broadcast = (m) => workers.broadcast(m);
  await workers.whenReady();
  const atEpochMs = opts.startAt === undefined ? performance.timeOrigin + performance.now() : await opts.startAt().catch(() => performance.timeOrigin + performance.now());
  const startPerf = atEpochMs - performance.timeOrigin;
  ctx.loadStartPerf = startPerf;
  trace('workers ready, test starts');
  workers.go(atEpochMs);
  const elapsedMs = () => Math.max(0, performance.now() - startPerf);
  const progress = startProgress(ctx, elapsedMs);
  const ticker = startTicker(ctx, vus, workers, elapsedMs, opts.abortOnFail !== false);
  await workers.done();
  clearInterval(ticker);
  vus.atEnd();
  trace('workers done');
  progress.stop(true);
  unhook();
  ctx.broadcast = () => {};
  return elapsedMs();
}

/**
 * k6 samples vus and vus_max once a second. Here: once every worker has reported its start (the
 * sum of those first statuses, so even a sub-second run has a sample), then on the ticker, but not
 * once a worker has finished (a half-finished test would read as half its VUs); and vus_max once
 * more at the end.
 */
class VuSampler {
  #samples = 0;
  #finished = 0;
  constructor(private readonly ctx: RunContext) {}

  onStatus(i: number, workers: LoadWorkers): void {
    this.sample(false, workers.finishedCount);
    if (workers.count > 1) workers.post(i, { kind: 'instance', others: this.ctx.collector.countersExcept(i) });
  }

  sample(tick: boolean, finishedWorkers: number): void {
    const { collector, test } = this.ctx;
    this.#finished = finishedWorkers;
    if (collector.reported() < test.workers) return;
    if (this.#samples === 0) {
      this.#samples++;
      collector.sampleVUs('first');
    } else if (tick && this.#finished === 0) {
      this.#samples++;
      collector.sampleVUs('latest');
    }
  }

  atEnd(): void {
    if (this.#samples > 0) this.ctx.collector.sampleVUs('latest', true);
  }
}

/** The progress display of the merged state (the terminal's live line). */
export function startProgress(ctx: RunContext, elapsedMs: () => number): ProgressReporter {
  const { req, test, collector } = ctx;
  const progress = new ProgressReporter(
    { stream: req.stdout, isTTY: Boolean(req.stdout.isTTY), quiet: req.quiet, enableColors: !test.options.noColor && Boolean(req.stdout.isTTY) },
    () => {
      const t = collector.totals();
      return {
        elapsedMs: elapsedMs(),
        vus: t.vus,
        vusMax: t.vusMax,
        iterations: t.complete + t.failed,
        interrupted: t.interrupted,
        scenarios: test.processPlans.map((p) => {
          const s = t.scenarios.find((x) => x.name === p.name);
          return { name: p.name, executor: p.executor, progress: s?.progress ?? 0, detail: describePlan(p) };
        }),
      };
    },
  );
  progress.start();
  return progress;
}

/** Once a second: VU gauges, thresholds with abortOnFail, the memory guard. */
function startTicker(ctx: RunContext, vus: VuSampler, workers: LoadWorkers, elapsedMs: () => number, abortOnFail: boolean): NodeJS.Timeout {
  const checkAbort = abortOnFail ? abortOnFailCheck(ctx) : () => {};
  const guard = memoryGuard(ctx);
  return setInterval(() => {
    vus.sample(true, workers.finishedCount);
    guard.sample();
    ctx.monitor.sample(workers.count, (i) => ({ tid: workers.tid(i), loop: ctx.collector.status(i)?.loop }));
    void workers.checkSilence();
    checkAbort(elapsedMs());
  }, 1000);
}

/**
 * The abortOnFail check on the merged data, for a ticker to call once a second with the load's
 * elapsed time: the first threshold crossed stops the run ('thresholds-aborted').
 */
export function abortOnFailCheck(ctx: RunContext): (elapsedMs: number) => void {
  const aborting = ctx.test.thresholds.filter((t) => t.abortOnFail);
  return (elapsed) => {
    if (aborting.length === 0 || ctx.end.stopped) return;
    const due = aborting.filter((t) => elapsed >= t.delayAbortEvalMs);
    const failed = evaluateThresholds(due, ctx.collector.aggregate, elapsed, { ignoreEmpty: true }).find((o) => !o.ok);
    if (failed) {
      ctx.say(`threshold ${failed.threshold.key}: ${failed.threshold.expr.source} crossed with abortOnFail, stopping the test`);
      ctx.stop('thresholds-aborted', `${failed.threshold.key} ${failed.threshold.expr.source}`);
    }
  };
}

function memoryGuard(ctx: RunContext): MemoryGuard {
  const limit = ctx.req.memoryLimitBytes ?? Math.floor(availableMemoryBytes() * DEFAULT_LIMIT_SHARE);
  return new MemoryGuard(limit, {
    warn: (rss) => ctx.say(`warning: loadts uses ${formatBytes(rss)} of memory, past ${WARN_SHARE * 100}% of its limit (${formatBytes(limit)}): at the limit the test stops`),
    limit: (rss) => {
      const error = new LoadtsError('MEMORY_LIMIT', `loadts used ${formatBytes(rss)} of memory, past its limit of ${formatBytes(limit)} (--memory-limit): the test was stopped before the system ran out; use fewer VUs or less data per VU, or raise the limit`);
      ctx.fail(error, 'out-of-memory');
    },
  });
}
