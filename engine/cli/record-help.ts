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

