import { resolve } from 'node:path';
import { LoadtsError, toError } from '../errors.js';
import { endOfTestSummary } from '../output/end-summary.js';
import type { RunEnd } from '../output/outputs/index.js';
import { writeSummaryExport } from '../output/summary-export.js';
import type { SummaryData } from '../output/summary-types.js';
import { writeSummaryOutputs } from '../output/write-results.js';
import { viewRecord, type RecordView } from '../record/view.js';
import type { RunRecord } from '../record/types.js';
import { HANDLE_SUMMARY_TIMEOUT_MS, runBounded } from './lifecycle-phase.js';
import { scriptFailure } from './prepare.js';
import type { RunContext } from './run-context.js';
import { buildRunRecord } from './run-record.js';
import type { RunOutcome } from './run-types.js';
import { targetFailureMessage } from './target-health.js';

/** Every HTTP request failed before any response: the target is down or the URL is wrong (111). */
export function noteUnreachableTarget(ctx: RunContext): void {
  const totals = ctx.collector.totals('merged');
  if (ctx.end.firstError !== undefined || ctx.end.state !== 'completed' || totals.networkErrors === 0 || totals.responses > 0) return;
  ctx.end.fail(new LoadtsError('TARGET_UNREACHABLE', targetFailureMessage(totals)));
}

/** The end of the run as data: the record, and the summary read back from it. */
function endOfRun(ctx: RunContext, durationMs: number, setupData: unknown): { record: RunRecord; view: RecordView } {
  const endedAtMs = performance.timeOrigin + performance.now();
  const target = ctx.watch?.finish(performance.timeOrigin + ctx.loadStartPerf, endedAtMs);
  if (target?.gone !== undefined && !ctx.warnings.includes(target.gone)) ctx.warn(target.gone);
  ctx.collector.series.close(Infinity);
  const environment = ctx.monitor.record(0);
  const record = buildRunRecord(ctx, { durationMs, setupData, environment, endedAtMs, target });
  return { record, view: viewRecord(record, { stdout: Boolean(ctx.req.stdout.isTTY), stderr: Boolean(ctx.req.stderr.isTTY) }) };
}

/** Writes the run's end state, as it stands now, into the record and the summary. */
function settle(ctx: RunContext, record: RunRecord, summary: SummaryData, thresholdsFailed: boolean): void {
  record.end = { state: ctx.end.state, exitCode: ctx.end.exitCode(thresholdsFailed), errors: ctx.end.messages(), warnings: [...ctx.warnings] };
  const extras = summary.loadts!;
  extras.state = record.end.state;
  extras.exitCode = record.end.exitCode;
  extras.errors = [...record.end.errors];
  extras.warnings = [...record.end.warnings];
}

/**
 * The results phase. Every consumer reads the same end-of-run data (the run record and the summary
 * derived from it): handleSummary or the text summary, the outputs, then, once everything else
 * that can fail has run, the outputs that carry the end state for others to gate on (the record)
 * and --summary-export, written last so their exit code and state are the process's.
 */
export async function resultsPhase(ctx: RunContext, durationMs: number, setupData: unknown): Promise<RunOutcome> {
  noteUnreachableTarget(ctx);
  const { record, view } = endOfRun(ctx, durationMs, setupData);
  const thresholdsFailed = view.outcomes.some((o) => !o.ok);
  const end: RunEnd = { record, summary: view.summary };
  await presentSummary(ctx, view);
  settle(ctx, record, view.summary, thresholdsFailed);
  await ctx.outputs.stop(end, 'others');
  settle(ctx, record, view.summary, thresholdsFailed);
  await Promise.all([ctx.outputs.stop(end, 'end-state'), writeExport(ctx, view.summary)]);
  reportEnd(ctx, view);
  return { exitCode: ctx.end.exitCode(thresholdsFailed), summary: view.summary, error: ctx.end.firstError, record };
}

/**
 * The "exit at once" path (a second Ctrl-C): the text summary, the outputs and --summary-export of
 * what was merged, without handleSummary (the caller bounds the time it may take).
 */
export async function writeWhatWasMerged(ctx: RunContext): Promise<void> {
  const durationMs = ctx.loadStartPerf > 0 ? performance.now() - ctx.loadStartPerf : 0;
  const { record, view } = endOfRun(ctx, durationMs, undefined);
  settle(ctx, record, view.summary, view.outcomes.some((o) => !o.ok));
  printTextSummary(ctx, view);
  const end: RunEnd = { record, summary: view.summary };
  await Promise.all([ctx.outputs.stop(end, 'others'), ctx.outputs.stop(end, 'end-state'), writeExport(ctx, view.summary)]);
}

function printTextSummary(ctx: RunContext, view: RecordView): void {
  const { req, test } = ctx;
  if (req.noSummary) return;
  req.stdout.write(endOfTestSummary(view.summary, view.aggregate, req.summaryMode ?? 'compact', !test.options.noColor && Boolean(req.stdout.isTTY)));
}

/** handleSummary, or the text summary; a failing handleSummary falls back to the text summary. */
async function presentSummary(ctx: RunContext, view: RecordView): Promise<void> {
  const { req, test } = ctx;
  if (test.init.functions.includes('handleSummary') && req.noHandleSummary !== true) {
    const r = await runBounded(ctx, { ...test.base, kind: 'summary', options: test.options, data: view.summary }, HANDLE_SUMMARY_TIMEOUT_MS, false);
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
  printTextSummary(ctx, view);
}

async function writeExport(ctx: RunContext, summary: SummaryData): Promise<void> {
  const { req } = ctx;
  if (req.summaryExport === undefined) return;
  const path = resolve(req.cwd, req.summaryExport);
  try {
    await writeSummaryExport(path, summary);
  } catch (e) {
    const error = new LoadtsError('OUTPUT', `cannot write --summary-export ${req.summaryExport}: ${toError(e).message}`);
    ctx.end.failResults(error);
    ctx.sayError(error);
  }
}

/** The last lines on stderr: the run's errors, how it was stopped, the thresholds crossed. */
function reportEnd(ctx: RunContext, view: RecordView): void {
  const { end, say } = ctx;
  for (const message of end.messages()) if (!ctx.said.has(message)) say(`error: ${message}`);
  if (end.stopMessage !== undefined && end.state !== 'script-aborted') say(`test ${end.state === 'interrupted' ? 'interrupted' : 'aborted'}: ${end.stopMessage}`);
  const crossed = view.outcomes.filter((o) => !o.ok).map((o) => `${o.threshold.key} ${o.threshold.expr.source}`);
  if (crossed.length > 0) say(`thresholds crossed: ${crossed.join(', ')}`);
}
