/**
 * Flags and help of the commands that read run records, kept apart from the commands themselves so
 * that `loadts help` loads none of their code.
 */
import { simpleFlagLines, type SimpleFlag } from './record-args.js';

export const SUMMARY_FLAGS: readonly SimpleFlag[] = [
  { name: 'summary-mode', value: 'MODE', help: "compact, full or legacy (default: the run's)" },
  { name: 'summary-export', value: 'FILE', help: "write k6's --summary-export JSON of the run" },
  { name: 'no-color', help: 'no colours (also NO_COLOR=1)' },
];

export const SUMMARY_HELP = `Usage: loadts summary [flags] run.json

Prints the end-of-test summary of a run from its record (written by loadts run --out record=FILE,
.json or .json.gz): the same text the run printed, in the run's --summary-mode unless one is given.

${simpleFlagLines(SUMMARY_FLAGS)}
  -h, --help                         this help`;


export const MERGE_FLAGS: readonly SimpleFlag[] = [
  { name: 'output', short: 'o', value: 'FILE', help: 'write the merged run record (.json, or .json.gz)' },
  { name: 'allow-partial', help: 'merge although a segment is missing (the result names it)' },
  { name: 'summary-export', value: 'FILE', help: "write k6's --summary-export JSON of the merged run" },
  { name: 'summary-mode', value: 'MODE', help: 'compact (default), full or legacy, as loadts run' },
  { name: 'no-color', help: 'no colours (also NO_COLOR=1)' },
];

export const MERGE_HELP = `Usage: loadts merge [flags] a.json b.json ... [-o merged.json]

Merges the run records of the parts of one test (execution segments run by separate processes or
machines, or the instances of a fleet) into the record of the whole test, exactly: counters and
rates add, trends merge their HDR histograms (so percentiles are those of one run that got every
sample), gauges keep min/max and the last value (VU gauges add), and the time series align by
wall-clock interval. Thresholds are judged on the merged data; the merged summary is printed.

Refused, one line each: records of different tests (script or options differ), overlapping
segments, and a missing segment unless --allow-partial.

${simpleFlagLines(MERGE_FLAGS)}
  -h, --help                         this help

Exit code: as the merged run's (0, or 99 when a threshold is crossed; a part's error code when a
part ended on an error).`;
