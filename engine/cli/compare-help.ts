/** Flags and help of `loadts compare` (kept apart so `loadts help` loads none of its code). */
import { simpleFlagLines, type SimpleFlag } from './record-args.js';

export const COMPARE_FLAGS: readonly SimpleFlag[] = [
  { name: 'fail-on', value: "'GATE'", repeat: true, help: "exit 99 on a real change past a limit, e.g. 'http_req_duration p(95) > +10%'" },
  { name: 'format', value: 'F', help: 'text (default), markdown (a table for a pull request) or json' },
  { name: 'confidence', value: 'C', help: 'confidence of the intervals: 95% (default), 99%, 0.9, ...' },
  { name: 'noise', value: 'N', help: 'smallest percentile change that counts as a change (default 5%)' },
  { name: 'metric', value: 'NAME', repeat: true, help: 'compare only these metrics (default: all but the request phases)' },
];

export const COMPARE_HELP = `Usage: loadts compare [flags] base.json new.json

Compares two runs from their records (loadts run --out record=FILE): every trend's p50/p95/p99,
every rate (error rates, checks) and every counter per second, with the change between them.
A change counts only when it is real: each percentile's change gets a bootstrap interval from
the runs' full HDR histograms, each rate's difference Newcombe's interval, at the --confidence
asked; a change whose interval holds 0, or smaller than --noise, is "no change". See
docs/capacity.md.

  loadts compare --fail-on 'http_req_duration p(95) > +10%' base.json new.json

${simpleFlagLines(COMPARE_FLAGS)}
  -h, --help                         this help

Gates: 'METRIC p(N) > +X%' (or < -X%) for a trend, 'METRIC rate > +Xpp' for a rate (percentage
points); crossed when the change's interval excludes 0 and the change is past the limit.

Exit codes: 0 no gate crossed, 99 a --fail-on gate crossed (a regression), 104 invalid flags or
an unreadable record.`;
