import { resolve } from 'node:path';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { endOfTestSummary } from '../output/end-summary.js';
import { writeSummaryExport } from '../output/summary-export.js';
import { SUMMARY_MODES, type SummaryMode } from '../output/summary-report.js';
import { unwritableReason } from '../output/write-results.js';
import { readRecord, writeRecord } from '../record/io.js';
import { mergeRecords } from '../record/merge.js';
import { viewRecord } from '../record/view.js';
import { parseSimpleArgs } from './record-args.js';
import { MERGE_FLAGS, MERGE_HELP } from './record-help.js';

/**
 * `loadts merge a.json b.json … -o merged.json`: the records of a test's parts (execution
 * segments) merged exactly into the record of the whole test; prints its summary, writes the
 * merged record and --summary-export, and exits as the merged run would (99 for a crossed threshold).
 */
export async function mergeCommand(args: readonly string[]): Promise<number> {
  const parsed = parseSimpleArgs('merge', args, MERGE_FLAGS);
  if (parsed === undefined) {
    process.stdout.write(`${MERGE_HELP}\n`);
    return ExitCode.OK;
  }
  const flag = (name: string) => parsed.flags.get(name)?.[0];
  const mode = flag('summary-mode') ?? 'compact';
  if (!(SUMMARY_MODES as readonly string[]).includes(mode)) throw new LoadtsError('INVALID_FLAG', `--summary-mode must be one of ${SUMMARY_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  if (parsed.positional.length < 2) throw new LoadtsError('INVALID_FLAG', 'loadts merge needs the run records of at least two parts of a test: loadts merge a.json b.json -o merged.json');
  const out = flag('output');
  const exportPath = flag('summary-export');
  for (const [name, path] of [['--output', out], ['--summary-export', exportPath]] as const) {
    const why = path === undefined ? undefined : unwritableReason(resolve(path));
    if (why !== undefined) throw new LoadtsError('INVALID_FLAG', `${name} ${path}: cannot write there: ${why}`);
  }
  const inputs = await Promise.all(parsed.positional.map(async (path) => ({ path, record: await readRecord(resolve(path)) })));
  const merged = mergeRecords(inputs, { allowPartial: parsed.flags.has('allow-partial') });
  const view = viewRecord(merged, { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) });
  const colors = !parsed.flags.has('no-color') && process.env.NO_COLOR === undefined && Boolean(process.stdout.isTTY);
  process.stdout.write(endOfTestSummary(view.summary, view.aggregate, mode as SummaryMode, colors));
  for (const w of merged.end.warnings) process.stderr.write(`warning: ${w}\n`);
  try {
    if (out !== undefined) await writeRecord(resolve(out), merged);
    if (exportPath !== undefined) await writeSummaryExport(resolve(exportPath), view.summary);
  } catch (e) {
    throw new LoadtsError('OUTPUT', `cannot write the merged results: ${toError(e).message}`);
  }
  const crossed = view.outcomes.filter((o) => !o.ok).map((o) => `${o.threshold.key} ${o.threshold.expr.source}`);
  if (crossed.length > 0) process.stderr.write(`thresholds crossed: ${crossed.join(', ')}\n`);
  return merged.end.exitCode;
}
