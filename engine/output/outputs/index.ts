import { LoadtsError } from '../../errors.js';
import { didYouMean } from '../../options/checks.js';
import type { Output, OutputEnv, OutputType } from './output.js';
import { csvOutput } from './csv.js';
import { jsonOutput } from './json.js';
import { junitOutput } from './junit.js';
import { recordOutput } from './record.js';
import { prometheusRemoteWriteOutput } from './prometheus-rw.js';
import { reportOutput } from './report.js';
import { webDashboardOutput } from './web-dashboard.js';

export type { Output, OutputEnv, OutputStart, OutputType, RunEnd, SampleBatch, SampleSeries } from './output.js';
export { OutputSet } from './output-set.js';
export { stepSummaryEntry } from './step-summary.js';

/** Every output loadts has, by `--out` name (k6's names where k6 has the output). */
export const OUTPUT_TYPES: readonly OutputType[] = [recordOutput, jsonOutput, csvOutput, junitOutput, prometheusRemoteWriteOutput, webDashboardOutput, reportOutput];

/** k6 outputs loadts does not have: named in the error rather than "unknown". */
const K6_ONLY = ['influxdb', 'statsd', 'datadog', 'kafka', 'cloud', 'experimental-opentelemetry', 'opentelemetry', 'timescaledb', 'xk6-influxdb'];

/** One `--out NAME[=ARG]`. */
export interface OutputSpec {
  name: string;
  arg: string | undefined;
  /** Where it came from, for errors: '--out' or 'K6_OUT'. */
  source: string;
}

/** Splits `NAME[=ARG]` at its first '=' (as k6 does); checks the name. */
export function parseOutputSpec(text: string, source: string): OutputSpec {
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  const arg = eq < 0 ? undefined : text.slice(eq + 1);
  if (OUTPUT_TYPES.some((t) => t.name === name)) return { name, arg, source };
  const known = OUTPUT_TYPES.map((t) => t.name);
  if (K6_ONLY.includes(name)) throw new LoadtsError('INVALID_FLAG', `${source} ${name}: a k6 output loadts does not have (loadts has ${known.join(', ')})`);
  throw new LoadtsError('INVALID_FLAG', `${source} ${JSON.stringify(name)}: no such output${didYouMean(name, known)} (loadts has ${known.join(', ')})`);
}

/**
 * K6_OUT / LOADTS_OUT (LOADTS_ wins), as k6 reads it: outputs separated by commas. A comma starts a
 * new output only before a known output name, so an argument may itself hold commas.
 */
export function outputSpecsFromEnv(env: Readonly<Record<string, string | undefined>>): OutputSpec[] {
  const variable = env.LOADTS_OUT !== undefined ? 'LOADTS_OUT' : 'K6_OUT';
  const value = env[variable]?.trim();
  if (value === undefined || value === '') return [];
  const names = [...OUTPUT_TYPES.map((t) => t.name), ...K6_ONLY].join('|');
  const parts = value.split(new RegExp(`,(?=\\s*(?:${names})(?:=|,|$))`));
  return parts.map((p) => parseOutputSpec(p.trim(), variable));
}

/** Makes the outputs `specs` name; their arguments are checked here (before any load). */
export function createOutputs(specs: readonly OutputSpec[], env: OutputEnv): Array<{ type: OutputType; output: Output }> {
  return specs.map((spec) => {
    const type = OUTPUT_TYPES.find((t) => t.name === spec.name)!;
    return { type, output: type.create(spec.arg, env) };
  });
}
