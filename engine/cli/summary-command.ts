import { resolve } from 'node:path';
import { ExitCode, LoadtsError } from '../errors.js';
import { endOfTestSummary } from '../output/end-summary.js';
import { writeSummaryExport } from '../output/summary-export.js';
import { SUMMARY_MODES, type SummaryMode } from '../output/summary-report.js';
import { readRecord } from '../record/io.js';
import { viewRecord } from '../record/view.js';
import { parseSimpleArgs } from './record-args.js';
import { SUMMARY_FLAGS as FLAGS, SUMMARY_HELP } from './record-help.js';

/** `loadts summary run.json`: the run's summary again, from its record; exit 0 (the record's own exit code is in it). */
export async function summaryCommand(args: readonly string[]): Promise<number> {
  const parsed = parseSimpleArgs('summary', args, FLAGS);
  if (parsed === undefined) {
    process.stdout.write(`${SUMMARY_HELP}\n`);
    return ExitCode.OK;
  }
  const [file, ...extra] = parsed.positional;
  if (file === undefined || extra.length > 0) throw new LoadtsError('INVALID_FLAG', 'loadts summary takes one run record: loadts summary run.json');
  const flagMode = parsed.flags.get('summary-mode')?.[0];
  if (flagMode !== undefined && !(SUMMARY_MODES as readonly string[]).includes(flagMode)) throw new LoadtsError('INVALID_FLAG', `--summary-mode must be one of ${SUMMARY_MODES.join(', ')}, got ${JSON.stringify(flagMode)}`);
  const record = await readRecord(resolve(file));
  const recorded = record.run.summaryMode;
  const mode = flagMode ?? ((SUMMARY_MODES as readonly string[]).includes(recorded) ? recorded : 'compact');
  const view = viewRecord(record, { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) });
  const colors = !parsed.flags.has('no-color') && process.env.NO_COLOR === undefined && !record.options.noColor && Boolean(process.stdout.isTTY);
  process.stdout.write(endOfTestSummary(view.summary, view.aggregate, mode as SummaryMode, colors));
  const exportPath = parsed.flags.get('summary-export')?.[0];
  if (exportPath !== undefined) await writeSummaryExport(resolve(exportPath), view.summary);
  return ExitCode.OK;
}
