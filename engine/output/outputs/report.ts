import { resolve } from 'node:path';
import { LoadtsError } from '../../errors.js';
import { writeReport } from '../../dashboard/write-report.js';
import { unwritableReason } from '../write-results.js';
import type { Output, OutputEnv, OutputType, RunEnd } from './output.js';

/**
 * `--out report=report.html` (gzip when the name ends in .gz): the self-contained HTML report of the
 * run, the same file `loadts report run.json -o report.html` makes from its record (docs/dashboard.md).
 */
class ReportOutput implements Output {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = `report (${path})`;
  }

  async start(): Promise<void> {
    const why = unwritableReason(this.path);
    if (why !== undefined) throw new Error(`cannot write ${this.path}: ${why}`);
  }

  async stop(end: RunEnd): Promise<void> {
    await writeReport(this.path, end.record);
  }
}

export const reportOutput: OutputType = {
  name: 'report',
  help: 'the HTML report of the run (one self-contained file; also loadts report run.json)',
  wantsSamples: false,
  create(arg: string | undefined, env: OutputEnv): Output {
    if (arg === undefined || arg.trim() === '') throw new LoadtsError('INVALID_FLAG', '--out report needs a file name: --out report=report.html');
    return new ReportOutput(resolve(env.cwd, arg));
  },
};
