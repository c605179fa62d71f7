import { tmpdir } from 'node:os';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { trace } from '../trace.js';
import { redactText } from '../redact.js';
import { setupPhase, teardownPhase, type SetupOutcome } from './lifecycle-phase.js';
import { loadPhase } from './load-phase.js';
import { loadCollector, prepareTest, type PreparedTest } from './prepare.js';
import { startRestApi } from './rest-api.js';
import { restControl } from './rest-control.js';
import { resultsPhase, writeWhatWasMerged } from './results.js';
import { RunContext } from './run-context.js';
import type { RunOutcome, RunRequest } from './run-types.js';
import { installStopSignals } from './stop-signals.js';
import { MemoryKeeper, SpillKeeper, type PointKeeper } from '../metrics/point-keeper.js';
import { TimeSeriesStore } from '../metrics/time-series.js';
import { createOutputs, OutputSet, stepSummaryEntry, type Output, type OutputType } from '../output/outputs/index.js';
import { TargetWatch } from '../watch/target-watch.js';

export type { RunOutcome, RunRequest } from './run-types.js';

/**
 * The phases of a run that differ by where the load comes from. A local run's load is its worker
 * threads; a fleet coordinator's is its instances (engine/fleet/), and an instance's setup and
 * teardown are the coordinator's. Prepare and results are the same for all.
 */
export interface RunPhases {
  /** Once the run has started (outputs open, stoppers installed), before setup. */
  started?(ctx: RunContext): Promise<void>;
  setup(ctx: RunContext): Promise<SetupOutcome>;
  /** Runs the load; returns its duration, ms. */
  load(ctx: RunContext, setupData: unknown): Promise<number>;
  teardown(ctx: RunContext, setup: SetupOutcome): Promise<void>;
}

/** A run on this machine's worker threads. */
export const LOCAL_PHASES: RunPhases = { setup: setupPhase, load: loadPhase, teardown: teardownPhase };

/**
 * Runs a test, phase by phase:
 *   prepare   bundle, init context, options, thresholds, plans (every user mistake found here);
 *             the outputs start, and the time series with them
 *   stoppers  Ctrl-C/SIGTERM, the REST API, a caller's AbortSignal
 *   setup     setup() once; a failure, timeout or stop skips the load and teardown
 *   load      the workers run their segments; deadlines end stuck or lost workers
 *   teardown  teardown(data), also after a first Ctrl-C
 *   results   handleSummary or the text summary, then --summary-export last, and the exit code
 * Results of what ran are written on every path that gets past prepare.
 */
export async function runTest(req: RunRequest, phases: RunPhases = LOCAL_PHASES): Promise<RunOutcome> {
  const say = (line: string) => req.stderr.write(`${redactText(line)}\n`);
  let test: PreparedTest | undefined;
  let ctx: RunContext | undefined;
  try {
    const outputs = new OutputSet(outputsOf(req, say), (e) => {
      ctx?.end.failResults(e);
      ctx?.sayError(e);
    });
    test = await prepareTest({ ...req, warn: req.warn ?? say });
    ctx = await startRun(test, req, outputs, say);
    await installStoppers(ctx);
    await phases.started?.(ctx);
    const setup = ctx.end.stopped ? { ok: false, data: undefined } : await phases.setup(ctx);
    const durationMs = setup.ok && !ctx.end.stopped ? await phases.load(ctx, setup.data) : 0;
    await phases.teardown(ctx, setup);
    return await resultsPhase(ctx, durationMs, setup.data);
  } catch (e) {
    const error = e instanceof LoadtsError ? e : new LoadtsError('ENGINE', toError(e).stack ?? toError(e).message, { cause: e });
    say(`error: ${error.message}`);
    return { exitCode: error.exitCode, summary: undefined, error };
  } finally {
    for (const c of ctx?.cleanups ?? []) c();
    trace('disposing');
    await test?.dispose();
    trace('disposed');
  }
}

/**
 * The run's results side: the time series (its closed intervals go to the outputs), the collector,
 * the outputs started (a destination they cannot write stops the run here, before any load).
 */
async function startRun(test: PreparedTest, req: RunRequest, outputs: OutputSet, say: (line: string) => void): Promise<RunContext> {
  const { Collector } = await loadCollector();
  const series = new TimeSeriesStore({
    originMs: test.base.runStartedAtEpochMs,
    intervalMs: req.seriesIntervalMs,
    onInterval: outputs.wantsIntervals ? (i) => outputs.addInterval(i) : undefined,
    keeper: spillKeeper(say),
  });
  const ctx = new RunContext(test, req, new Collector(test.options.tags, series), outputs, say);
  ctx.cleanups.push(() => series.dispose());
  ctx.collector.merge(test.init.snapshot);
  test.base.wantsSamples = outputs.wantsSamples; // every later task batches its raw samples
  if (outputs.wantsSamples) ctx.collector.onSamples = (batch) => outputs.addSamples(batch);
  await outputs.start({
    scriptPath: req.scriptPath,
    options: test.options,
    startedAtMs: test.base.runStartedAtEpochMs,
    metrics: test.init.metricDefs,
    workers: test.workers,
    live: { loadStartedAtMs: () => (ctx.loadStartPerf > 0 ? performance.timeOrigin + ctx.loadStartPerf : undefined), generatorCpu: () => ctx.monitor.timeline() },
  });
  // Intervals close a little after they end, when every worker's report for them is in (a fleet's
  // load phase moves this watermark to what every instance has sent).
  ctx.seriesWatermark = () => performance.timeOrigin + performance.now() - CLOSE_AFTER_MS;
  const clock = setInterval(() => series.close(ctx.seriesWatermark()), series.baseIntervalMs);
  ctx.cleanups.push(() => clearInterval(clock));
  if (req.watch !== undefined) {
    const watch = new TargetWatch(
      req.watch,
      test.options.tags,
      (s) => ctx.collector.merge(s),
      (s) => ctx.broadcast({ kind: 'target', sample: { atMs: s.atMs, rssBytes: s.rssBytes, cpuPercent: s.cpuPercent, fds: s.fds, threads: s.threads } }),
    );
    ctx.watch = watch;
    watch.start();
    ctx.cleanups.push(() => watch.stop());
  }
  return ctx;
}

/**
 * Where the time series keeps its closed points: a file in the temporary folder (TMPDIR), so the
 * coordinator's memory does not grow with the run's length (docs/performance.md, Soak); in memory,
 * with a warning, when no file can be made there.
 */
function spillKeeper(say: (line: string) => void): PointKeeper {
  try {
    return new SpillKeeper();
  } catch (e) {
    say(`warning: the time series is kept in memory: no file can be made in ${tmpdir()} (${toError(e).message}); set TMPDIR to a writable folder`);
    return new MemoryKeeper();
  }
}

/** The --out outputs, and the GitHub Actions step summary when GITHUB_STEP_SUMMARY is set. */
function outputsOf(req: RunRequest, say: (line: string) => void): Array<{ type: OutputType; output: Output }> {
  const env = { cwd: req.cwd, env: req.processEnv, stdout: req.stdout, say };
  const stepSummary = stepSummaryEntry(env, req.noStepSummary);
  return [...createOutputs(req.outputs ?? [], env), ...(req.extraOutputs ?? []), ...(stepSummary === undefined ? [] : [stepSummary])];
}

/** How long after an interval's end it closes (workers report at its boundary). */
const CLOSE_AFTER_MS = 250;

/** What can stop the run from outside: signals (the CLI), the caller's AbortSignal, the REST API. */
async function installStoppers(ctx: RunContext): Promise<void> {
  const { req, say } = ctx;
  if (req.handleSignals) {
    const remove = installStopSignals(
      {
        stop: (sig) => {
          say(`received ${sig}, stopping the test (again to exit at once); teardown() will run and results will be written`);
          ctx.stop('interrupted', `stopped by ${sig}`);
        },
        force: async (sig) => {
          say(`received ${sig} again: exiting now, without teardown(); writing the results measured so far`);
          await writeWhatWasMerged(ctx);
        },
        exit: (code) => process.exit(code),
      },
      ExitCode.ExternalAbort,
    );
    ctx.cleanups.push(remove);
  }
  if (req.signal) {
    const onAbort = () => ctx.stop('interrupted', 'stopped by the caller');
    if (req.signal.aborted) onAbort();
    else req.signal.addEventListener('abort', onAbort, { once: true });
  }
  if (req.address !== undefined) {
    const api = await startRestApi(req.address, restControl(ctx));
    if (!req.quiet) say(`REST API listening on ${api.url}`);
    if (api.warning !== undefined) say(api.warning);
    ctx.cleanups.push(() => void api.close());
  }
}
