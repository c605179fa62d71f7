import { resolve } from 'node:path';
import { writeReport } from '../dashboard/write-report.js';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { readRecord } from '../record/io.js';
import { parseSimpleArgs } from './record-args.js';
import { REPORT_FLAGS, REPORT_HELP } from './report-help.js';

/** `loadts report run.json -o report.html`: the run's HTML report, from its record. */
export async function reportCommand(args: readonly string[]): Promise<number> {
  const parsed = parseSimpleArgs('report', args, REPORT_FLAGS);
  if (parsed === undefined) {
    process.stdout.write(`${REPORT_HELP}\n`);
    return ExitCode.OK;
  }
  const [file, ...extra] = parsed.positional;
  if (file === undefined || extra.length > 0) throw new LoadtsError('INVALID_FLAG', 'loadts report takes one run record: loadts report run.json -o report.html');
  const out = resolve(parsed.flags.get('output')?.[0] ?? 'report.html');
  const record = await readRecord(resolve(file));
  let bytes: number;
  try {
    bytes = await writeReport(out, record);
  } catch (e) {
    throw new LoadtsError('OUTPUT', `cannot write the report ${out}: ${toError(e).message}`);
  }
  process.stderr.write(`report: ${out} (${(bytes / 1024).toFixed(0)} kB)\n`);
  return ExitCode.OK;
}
