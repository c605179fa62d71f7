import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stepSummaryMarkdown } from '../step-summary-markdown.js';
import { unwritableReason } from '../write-results.js';
import type { Output, OutputEnv, OutputType, RunEnd } from './output.js';

/**
 * The GitHub Actions step summary: when GITHUB_STEP_SUMMARY is set, the run's Markdown summary is
 * appended to that file at the end of the run (after Ctrl-C too), and GitHub shows it on the job's
 * page. Not an `--out` name: the coordinator adds it, unless --no-step-summary or
 * LOADTS_NO_STEP_SUMMARY. It reports the run's end state, so it stops with the record, after every
 * other output could fail.
 */
class StepSummaryOutput implements Output {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = `step-summary (GITHUB_STEP_SUMMARY=${path})`;
  }

  async start(): Promise<void> {
    const why = unwritableReason(this.path);
    if (why !== undefined) throw new Error(`cannot write ${this.path}: ${why} (--no-step-summary turns the step summary off)`);
  }

  async stop(end: RunEnd): Promise<void> {
    await appendFile(this.path, stepSummaryMarkdown(end.record));
  }
}

export const stepSummaryOutput: OutputType = {
  name: 'step-summary',
  help: 'Markdown summary appended to $GITHUB_STEP_SUMMARY (GitHub Actions)',
  wantsSamples: false,
  writesEndState: true,
  create(_arg: string | undefined, env: OutputEnv): Output {
    return new StepSummaryOutput(resolve(env.cwd, env.env.GITHUB_STEP_SUMMARY ?? ''));
  },
};

/** The step summary output when GITHUB_STEP_SUMMARY names a file and it is not turned off. */
export function stepSummaryEntry(env: OutputEnv, off: boolean | undefined): { type: OutputType; output: Output } | undefined {
  const path = env.env.GITHUB_STEP_SUMMARY?.trim();
  if (off === true || path === undefined || path === '') return undefined;
  return { type: stepSummaryOutput, output: stepSummaryOutput.create(undefined, env) };
}
