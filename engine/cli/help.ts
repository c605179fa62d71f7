import { OUTPUT_TYPES } from '../output/outputs/index.js';
import { RUN_FLAGS, SERVE_DEFAULTS, type FlagGroup, type FlagSpec } from './args.js';
import { MERGE_HELP, SUMMARY_HELP } from './record-help.js';
import { FLEET_HELP } from '../fleet/fleet-help.js';
import { REPORT_HELP } from './report-help.js';
import { CAPACITY_HELP } from './capacity-help.js';
import { COMPARE_HELP } from './compare-help.js';

const GROUP_TITLES: Readonly<Record<FlagGroup, string>> = {
  execution: 'Execution',
  options: 'Options and script environment',
  results: 'Results',
  output: 'Terminal',
};

/** '  -u, --vus N' padded, then the help text. */
function flagLine(f: FlagSpec): string {
  const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
  return `  ${names.padEnd(38)} ${f.help}`;
}

function flagTable(): string {
  const groups = Object.keys(GROUP_TITLES) as FlagGroup[];
  return groups
    .map((g) => [`${GROUP_TITLES[g]}:`, ...RUN_FLAGS.filter((f) => f.group === g).map(flagLine)].join('\n'))
    .join('\n\n');
}

const MAIN = `loadts: scriptable load testing in TypeScript (k6-style scripts, async VUs)

Usage:
  loadts run [flags] script.ts       run a load test
  loadts inspect [flags] script.ts   print the resolved options and each scenario's plan
  loadts serve [--port N]            start the embedded demo target
  loadts summary run.json            print a run's summary again, from its record (--out record=FILE)
  loadts report run.json -o F.html   write a run's HTML report, from its record
  loadts merge a.json b.json ...     merge the records of a test's parts (segments) exactly
  loadts fleet coordinator|instance  run one test on many machines (docs/distributed.md)
  loadts capacity [flags] script.ts  find the highest load the target sustains within its SLOs
  loadts compare base.json new.json  what changed between two runs, told apart from noise
  loadts version                     print the version
  loadts help [command]              help for a command (or: loadts <command> -h)

Global flags may also come before the command: -c FILE, -a HOST:PORT, -q, -v, --no-color,
--log-format F.

Start with:  npx loadts run examples/quickstart.ts
Docs: README.md and docs/ in the loadts package.`;

const SOURCES = `Options come from (lowest priority first): defaults, --config file, the script's
\`export const options\`, LOADTS_* (or k6's K6_*) environment variables, flags. A source that sets
--duration, --iterations or --stage replaces the scenarios of lower sources, as in k6.
Durations: 30s, 1m30s, 500ms, 1h, 2d; flags need a unit.`;

const EXIT_CODES = `Exit codes (as k6): 0 ok, 99 thresholds crossed, 104 invalid options or flags,
105 interrupted, 107 script error, 108 script abort.`;

function runHelp(): string {
  return `Usage: loadts run [flags] script.ts

Runs the script's default function (or its scenarios) across worker threads, prints a summary,
and exits 99 if a threshold is crossed. With no BASE_URL set, the embedded demo target is started
and BASE_URL points at it.

${flagTable()}

  -h, --help                             this help

${outputsHelp()}

${SOURCES}

${EXIT_CODES}`;
}

/** The outputs `--out` knows (k6's names), one line each; docs/outputs.md has their options. */
function outputsHelp(): string {
  const lines = OUTPUT_TYPES.map((t) => `  ${t.name.padEnd(8)} ${t.help}`);
  return `Outputs (--out NAME=ARG, repeatable, or K6_OUT=NAME=ARG,...; see docs/outputs.md):\n${lines.join('\n')}
  With GITHUB_STEP_SUMMARY set (GitHub Actions), a Markdown summary is appended to it.`;
}

function inspectHelp(): string {
  return `Usage: loadts inspect [flags] script.ts

Bundles the script, resolves its options from every source and prints each scenario's plan:
start, duration and graceful stop, VUs, iterations. No load is sent. Takes the flags of
loadts run (see loadts run --help); with -v, prints everything as JSON.

${SOURCES}`;
}

function serveHelp(): string {
  const { host, port } = SERVE_DEFAULTS;
  return `Usage: loadts serve [--port N] [--host H] [--tls] [--h2]

Starts the embedded demo target in the foreground until Ctrl-C.

  -p, --port N        port to listen on (default ${port}; 0 picks a free one)
      --host H        address to bind (default ${host})
      --tls           https, on a self-signed certificate generated at start
                      (for localhost, 127.0.0.1 and ::1; clients skip verification)
      --h2            HTTP/2 as well as HTTP/1.1 (ALPN; implies --tls)
  -h, --help          this help

Endpoints: /, /get, /post, /status/:code, /delay/:ms, /bytes/:n, /json and more
(see docs/demo-target.md). Point a test at it with -e BASE_URL=http://${host}:${port}.`;
}

const VERSION = `Usage: loadts version

Prints the loadts version (also: loadts --version).`;

/** Help text for `loadts help [topic]` and `-h`: the command overview, or one command's flags. */
export function helpText(topic?: string): string {
  switch (topic) {
    case 'run':
      return runHelp();
    case 'inspect':
      return inspectHelp();
    case 'serve':
      return serveHelp();
    case 'version':
      return VERSION;
    case 'summary':
      return SUMMARY_HELP;
    case 'report':
      return REPORT_HELP;
    case 'merge':
      return MERGE_HELP;
    case 'fleet':
      return FLEET_HELP;
    case 'capacity':
      return CAPACITY_HELP;
    case 'compare':
      return COMPARE_HELP;
    default:
      return MAIN;
  }
}
