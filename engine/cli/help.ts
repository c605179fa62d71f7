const MAIN = `loadts: scriptable load testing in TypeScript (k6-style scripts, async VUs)

Usage:
  loadts run [flags] script.ts       run a load test
  loadts inspect [flags] script.ts   print resolved options and each scenario's plan
  loadts serve [--port N]            start the embedded demo target
  loadts version                     print the version
  loadts help [command]              help for a command

Start with:  npx loadts run examples/quickstart.ts
Docs: README.md and docs/ in the loadts package.`;

const RUN = `Usage: loadts run [flags] script.ts

Runs the script's default function (or its scenarios) across worker threads, prints a summary,
and exits 99 if a threshold is crossed. With no BASE_URL set, the embedded demo target is started
and BASE_URL points at it.

Execution:
  -u, --vus N                        number of VUs
  -d, --duration D                   test duration, e.g. 30s, 1m30s
  -i, --iterations N                 total iterations shared by the VUs
  -s, --stage D:N                    ramping stage (repeatable), e.g. -s 10s:20 -s 30s:20
      --workers N                    worker threads (default: CPU cores, at most the VUs)
      --execution-segment S          run only this part of the test, e.g. 0:1/2
      --execution-segment-sequence Q all parts, e.g. 0,1/2,1
  -a, --address HOST:PORT            start the REST API (externally-controlled scenarios)

Script environment and options:
  -e, --env K=V                      __ENV variable (repeatable)
      --tag K=V                      tag on every sample (repeatable)
  -c, --config FILE                  options from a JSON or YAML file
      --user-agent S                 User-Agent header
      --discard-response-bodies      do not keep response bodies
      --no-connection-reuse          a new connection for every request
      --no-vu-connection-reuse       new connections for every iteration
      --insecure-skip-tls-verify     accept any TLS certificate
      --max-redirects N              redirects to follow (default 10)
      --setup-timeout D, --teardown-timeout D

Results:
      --summary-export FILE          write k6's --summary-export JSON
      --summary-trend-stats LIST     e.g. avg,med,p(99),max
      --summary-time-unit U          s, ms or us
      --no-summary                   no end-of-test summary
      --no-thresholds                do not evaluate thresholds
  -q, --quiet                        no progress output
      --no-color                     no colours (also NO_COLOR=1)
  -v, --verbose                      more detail (inspect: JSON)

Options come from (lowest first): defaults, --config, the script's options, LOADTS_*/K6_*
environment variables, flags. Exit codes: 0 ok, 99 thresholds, 104 invalid options or flags,
105 interrupted, 107 script error, 108 script abort.`;

const INSPECT = `Usage: loadts inspect [flags] script.ts

Bundles the script, resolves its options from every source (the same flags as loadts run) and
prints each scenario's plan: start, duration and graceful stop, VUs, iterations. No load is sent.
With -v, prints everything as JSON.`;

const SERVE = `Usage: loadts serve [--port N] [--host H]

Starts the embedded demo target (default 127.0.0.1:3333) in the foreground until Ctrl-C.
Endpoints: /, /get, /post, /status/:code, /delay/:ms, /bytes/:n, /json and more
(see docs/demo-target.md). Point a test at it with -e BASE_URL=http://127.0.0.1:3333.`;

/** Help text for `loadts help [topic]` and `-h`. */
export function helpText(topic?: string): string {
  switch (topic) {
    case 'run':
      return RUN;
    case 'inspect':
      return INSPECT;
    case 'serve':
      return SERVE;
    default:
      return MAIN;
  }
}
