import { resolve } from 'node:path';
import { LoadtsError } from '../../errors.js';
import { writeRecord } from '../../record/io.js';
import { unwritableReason } from '../write-results.js';
import type { Output, OutputEnv, OutputType, RunEnd } from './output.js';

/**
 * `--out record=run.json` (gzip when the name ends in .gz): the run record, everything needed to
 * see the run again without rerunning it (docs/record.md). Written at the end, last of all outputs,
 * so its end state is the process's.
 */
class RecordOutput implements Output {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = `record (${path})`;
  }

  async start(): Promise<void> {
    const why = unwritableReason(this.path);
    if (why !== undefined) throw new Error(`cannot write ${this.path}: ${why}`);
  }

  async stop(end: RunEnd): Promise<void> {
    await writeRecord(this.path, end.record);
  }
}

export const recordOutput: OutputType = {
  name: 'record',
  help: 'the run record (JSON, .gz compressed): loadts summary/report/compare/merge read it',
  wantsSamples: false,
  writesEndState: true,
  create(arg: string | undefined, env: OutputEnv): Output {
    if (arg === undefined || arg.trim() === '') throw new LoadtsError('INVALID_FLAG', '--out record needs a file name: --out record=run.json (or run.json.gz)');
    return new RecordOutput(resolve(env.cwd, arg));
  },
};
