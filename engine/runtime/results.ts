import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LoadtsError, toError } from '../errors.js';
import { buildSummaryData } from '../output/summary-data.js';
import { summaryExport } from '../output/summary-export.js';
import type { SummaryData } from '../output/summary-types.js';
import { endOfTestSummary } from '../output/end-summary.js';
import { writeSummaryOutputs } from '../output/write-results.js';
import { evaluateThresholds, type ThresholdOutcome } from '../thresholds/thresholds.js';
import { HANDLE_SUMMARY_TIMEOUT_MS, runBounded } from './lifecycle-phase.js';
import { scriptFailure } from './prepare.js';
import type { RunContext } from './run-context.js';
import type { RunOutcome } from './run-types.js';
import { stageResults } from './stage-results.js';
import { summaryInputFromAggregate } from './summary-input.js';
import { targetFailureMessage } from './target-health.js';

/** The end of a run as data: what every consumer of the results (summary, JSON, outputs) reads. */
export interface RunResults {
  summary: SummaryData;
  outcomes: ThresholdOutcome[];
  thresholdsFailed: boolean;
}

/** Builds the end-of-run data from what has been merged so far; `loadts.exitCode` and `state` are as of now. */
export function endOfRunData(ctx: RunContext, durationMs: number, setupData: unknown): RunResults {
  const { test, req, collector, end } = ctx;
  const { options } = test;
  const outcomes = evaluateThresholds(test.thresholds, collector.aggregate, durationMs);
  const thresholdsFailed = outcomes.some((o) => !o.ok);
  const totals = collector.totals('merged');
  const latest = collector.totals();
  const summary = buildSummaryData({
    ...summaryInputFromAggregate(collector.aggregate, outcomes, options.summaryTrendStats, durationMs),
    options: { summaryTrendStats: options.summaryTrendStats, summaryTimeUnit: options.summaryTimeUnit, noColor: options.noColor },
    state: { isStdOutTTY: Boolean(req.stdout.isTTY), isStdErrTTY: Boolean(req.stderr.isTTY), testRunDurationMs: durationMs },
    extras: {
      version: 1,
      state: end.state,
      exitCode: end.exitCode(thresholdsFailed),
      errors: end.messages(),
      workers: test.workers,
      executionSegment: options.executionSegment,
      iterations: { complete: totals.complete + totals.failed, interrupted: totals.interrupted },
      scenarios: options.scenarios.map((s) => ({ name: s.name, executor: s.executor })),
      stages: stageResults(collector.aggregate, options.scenarios, durationMs, (name, stage) => latest.scenarios.find((s) => s.name === name)?.stageMaxVUs[stage] ?? 0),
    },
    setupData,
  });
  return { summary, outcomes, thresholdsFailed };
}

/** Every HTTP request failed before any response: the target is down or the URL is wrong (111). */
export function noteUnreachableTarget(ctx: RunContext): void {
  const totals = ctx.collector.totals('merged');
  if (ctx.end.firstError !== undefined || ctx.end.state !== 'completed' || totals.networkErrors === 0 || totals.responses > 0) return;
  ctx.end.fail(new LoadtsError('TARGET_UNREACHABLE', targetFailureMessage(totals)));
}

/**
 * The results phase: handleSummary (or the text summary), then the end state settled and the
 * --summary-export written last, so the JSON's exitCode and state are the process's.
 */
export async function resultsPhase(ctx: RunContext, durationMs: number, setupData: unknown): Promise<RunOutcome> {
  noteUnreachableTarget(ctx);
  const results = endOfRunData(ctx, durationMs, setupData);
  await presentSummary(ctx, results.summary);
  settleEnd(ctx, results);
  await writeExport(ctx, results.summary);
  settleEnd(ctx, results);
  reportEnd(ctx, results);
  const exitCode = ctx.end.exitCode(results.thresholdsFailed);
  return { exitCode, summary: results.summary, error: ctx.end.firstError };
}

/** The "exit at once" path (a second Ctrl-C): the text summary and export of what was merged, no handleSummary. */
export async function writeWhatWasMerged(ctx: RunContext): Promise<void> {
  const durationMs = ctx.loadStartPerf > 0 ? performance.now() - ctx.loadStartPerf : 0;
  const results = endOfRunData(ctx, durationMs, undefined);
  printTextSummary(ctx, results.summary);
  await writeExport(ctx, results.summary);
}

function settleEnd(ctx: RunContext, r: RunResults): void {
  const extras = r.summary.loadts!;
  extras.state = ctx.end.state;
  extras.exitCode = ctx.end.exitCode(r.thresholdsFailed);
  extras.errors = ctx.end.messages();
}

function printTextSummary(ctx: RunContext, summary: SummaryData): void {
  const { req, test } = ctx;
  if (req.noSummary) return;
  req.stdout.write(endOfTestSummary(summary, ctx.collector.aggregate, req.summaryMode ?? 'compact', !test.options.noColor && Boolean(req.stdout.isTTY)));
}

/** handleSummary, or the text summary; a failing handleSummary falls back to the text summary. */
async function presentSummary(ctx: RunContext, summary: SummaryData): Promise<void> {
  const { req, test } = ctx;
  if (test.init.functions.includes('handleSummary')) {
    const r = await runBounded(ctx, { ...test.base, kind: 'summary', options: test.options, data: summary }, HANDLE_SUMMARY_TIMEOUT_MS, false);
    const res = r.result;
    if (res?.kind === 'summary' && res.outputs !== undefined) {
      try {
        await writeSummaryOutputs(res.outputs, { stdout: req.stdout, stderr: req.stderr, cwd: req.cwd });
      } catch (e) {
        const error = e instanceof LoadtsError ? e : new LoadtsError('SCRIPT_HANDLE_SUMMARY', toError(e).message);
        ctx.end.failResults(error);
        ctx.sayError(error);
      }
      return;
    }
    if (res?.kind !== 'summary') {
      const error =
        res?.kind === 'failure'
          ? scriptFailure(res, req.scriptPath)
          : new LoadtsError('SCRIPT_HANDLE_SUMMARY', `handleSummary() ${r.timedOut ? `did not finish within ${HANDLE_SUMMARY_TIMEOUT_MS / 1000} s` : `failed: ${toError(r.fault).message}`}`);
      ctx.end.failResults(error);
      ctx.sayError(error, '; printing the default summary instead');
    }
  }
  printTextSummary(ctx, summary);
}

async function writeExport(ctx: RunContext, summary: SummaryData): Promise<void> {
  const { req } = ctx;
  if (req.summaryExport === undefined) return;
  const path = resolve(req.cwd, req.summaryExport);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(summaryExport(summary), null, 2)}\n`);
  } catch (e) {
    const error = new LoadtsError('OUTPUT', `cannot write --summary-export ${req.summaryExport}: ${toError(e).message}`);
    ctx.end.failResults(error);
    ctx.sayError(error);
  }
}

/** The last lines on stderr: the run's errors, how it was stopped, the thresholds crossed. */
function reportEnd(ctx: RunContext, r: RunResults): void {
  const { end, say } = ctx;
  for (const message of end.messages()) if (!ctx.said.has(message)) say(`error: ${message}`);
  if (end.stopMessage !== undefined && end.state !== 'script-aborted') say(`test ${end.state === 'interrupted' ? 'interrupted' : 'aborted'}: ${end.stopMessage}`);
  if (r.thresholdsFailed) {
    const crossed = r.outcomes.filter((o) => !o.ok).map((o) => `${o.threshold.key} ${o.threshold.expr.source}`);
    say(`thresholds crossed: ${crossed.join(', ')}`);
  }
}
