/** Flags and help of `loadts report` (apart from its code, so `loadts help` loads none of it). */
import { simpleFlagLines, type SimpleFlag } from './record-args.js';

export const REPORT_FLAGS: readonly SimpleFlag[] = [{ name: 'output', short: 'o', value: 'FILE', help: 'where to write the report (default report.html; .gz compresses)' }];

export const REPORT_HELP = `Usage: loadts report [flags] run.json

Writes the HTML report of a run from its record (written by loadts run --out record=FILE, .json or
.json.gz): one self-contained file that opens offline, the same one --out report=FILE and
K6_WEB_DASHBOARD_EXPORT write at the end of the run. See docs/dashboard.md.

${simpleFlagLines(REPORT_FLAGS)}
  -h, --help                         this help`;
