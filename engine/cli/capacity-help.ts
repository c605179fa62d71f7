/** Flags and help of `loadts capacity` (kept apart so `loadts help` loads none of its code). */
import { simpleFlagLines, type SimpleFlag } from './record-args.js';

export const CAPACITY_FLAGS: readonly SimpleFlag[] = [
  { name: 'slo', value: "'METRIC: EXPR'", repeat: true, help: "an SLO in threshold syntax, repeatable (default: the script's thresholds)" },
  { name: 'model', value: 'open|closed', help: 'open: arrival-rate levels (default); closed: VU levels' },
  { name: 'start', value: 'N', help: 'first level: iterations/s, or VUs (default 10 /s, 1 VU)' },
  { name: 'growth', value: 'F', help: 'each growth step multiplies the load by F (default 2)' },
  { name: 'precision', value: 'P', help: 'stop bisecting within P of the answer: 5% or 0.05 (default 5%)' },
  { name: 'max', value: 'N', help: 'never offer more than N (default 100000 /s, 10000 VUs)' },
  { name: 'max-levels', value: 'N', help: 'never run more than N levels (default 20)' },
  { name: 'level-duration', value: 'D', help: 'measured time of each level (default 10s)' },
  { name: 'warmup', value: 'D', help: 'unmeasured time at the same load before it (default 3s)' },
  { name: 'max-vus', value: 'N', help: 'open model: VUs per level at most (default 2 s worth of the rate, at least 20)' },
  { name: 'graceful-stop', value: 'D', help: 'time for iterations to finish at the end of a level (default 5s)' },
  { name: 'exec', value: 'NAME', help: 'the exported function each iteration runs (default: default)' },
  { name: 'env', short: 'e', value: 'K=V', repeat: true, help: "an __ENV variable for the script, repeatable" },
  { name: 'config', short: 'c', value: 'FILE', help: 'options from a JSON or YAML file, as loadts run' },
  { name: 'workers', value: 'N', help: 'worker threads (default: CPU cores)' },
  { name: 'out', short: 'o', value: 'record=FILE', repeat: true, help: 'write the search as a run record (.json or .json.gz)' },
  { name: 'watch-pid', value: 'PID', help: "sample the target process's memory, CPU, fds and threads each second" },
  { name: 'watch-cmd', value: "'CMD'", help: 'start the target with CMD, watch it, stop it at the end' },
  { name: 'no-step-summary', help: 'no Markdown table appended to $GITHUB_STEP_SUMMARY' },
  { name: 'quiet', short: 'q', help: 'no progress lines' },
  { name: 'no-color', help: 'no colours' },
];

export const CAPACITY_HELP = `Usage: loadts capacity [flags] script.ts

Finds the highest load the target sustains within its SLOs. Each level runs the script's
iteration function through the real engine: a warm-up (not measured), then a measured step at
the level's load. The search grows the load geometrically (--start, --growth) until a level
fails, then bisects between the highest passing and the lowest failing level to --precision.
It prints the load-level table, the maximum sustainable rate, the knee (where latency starts
to climb) and a verdict. A level that failed because the load generator ran out of CPU is
reported as generator-bound, never as the target's capacity. See docs/capacity.md.

  loadts capacity --slo 'http_req_duration: p(95)<300' --slo 'http_req_failed: rate<0.01' script.ts

${simpleFlagLines(CAPACITY_FLAGS)}
  -h, --help                         this help

Exit codes: 0 a capacity was found (or a lower bound: see the verdict), 99 every level failed
its SLOs, 104 invalid flags or SLOs, 105 interrupted, 107 script error, 111 target unreachable.`;
