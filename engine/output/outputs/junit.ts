import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LoadtsError } from '../../errors.js';
import type { RunRecord } from '../../record/types.js';
import { junitXml, type JUnitCase } from '../junit.js';
import { unwritableReason } from '../write-results.js';
import type { Output, OutputEnv, OutputType, RunEnd } from './output.js';

/** A threshold's observed value with its unit ('312.45ms', '0.0132'). */
function observed(value: number, unit: string): string {
  return `${Number.isInteger(value) ? value : Number(value.toPrecision(6))}${unit}`;
}

/**
 * The run's thresholds as JUnit test cases: one per threshold, named `metric - expression` (as
 * k6-summary's jUnit), failed when crossed, with the value it was judged on in the failure.
 */
export function thresholdCases(record: RunRecord): JUnitCase[] {
  const contains = new Map(record.metrics.defs.map((d) => [d.name, d.contains]));
  return record.thresholds.map((t) => {
    const c: JUnitCase = { name: `${t.metric} - ${t.source}`, classname: 'loadts thresholds' };
    if (t.ok) return c;
    const base = t.metric.split('{')[0]!.trim();
    const unit = contains.get(base) === 'time' ? 'ms' : contains.get(base) === 'data' ? ' B' : '';
    const stat = /^\s*([a-z]+(?:\([\d.]+\))?)/i.exec(t.source)?.[1] ?? 'value';
    const seen = t.value === undefined ? 'no value (the metric got no samples)' : `${stat} was ${observed(t.value, unit)}`;
    c.failure = { message: `${t.metric} threshold ${t.source} crossed: ${seen}`, detail: `${seen}${t.abortOnFail ? ' (abortOnFail)' : ''}` };
    return c;
  });
}

/**
 * `--out junit=FILE`: the thresholds as a JUnit XML report, written at the end of the run (also
 * after Ctrl-C), for CI systems that show test results. Checked for writability before any load.
 */
class JUnitOutput implements Output {
  readonly description: string;
  constructor(
    private readonly path: string,
    name: string,
  ) {
    this.description = `junit (${name})`;
  }

  async start(): Promise<void> {
    const why = unwritableReason(this.path);
    if (why !== undefined) throw new Error(`cannot write ${this.path}: ${why}`);
  }

  async stop(end: RunEnd): Promise<void> {
    const xml = junitXml('loadts thresholds', thresholdCases(end.record));
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, `${xml}\n`);
  }
}

export const junitOutput: OutputType = {
  name: 'junit',
  help: 'the thresholds as JUnit XML, one test case each (a failure with the observed value when crossed)',
  wantsSamples: false,
  create(arg: string | undefined, env: OutputEnv): Output {
    if (arg === undefined || arg.trim() === '') throw new LoadtsError('INVALID_FLAG', '--out junit needs a file name: --out junit=junit.xml');
    return new JUnitOutput(resolve(env.cwd, arg.trim()), arg.trim());
  },
};
