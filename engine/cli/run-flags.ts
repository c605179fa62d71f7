import { LoadtsError } from '../errors.js';
import { checkDurationText, parseListText, parseStagesText } from '../options/option-text.js';
import { parseDuration } from '../options/duration.js';
import { parseMemorySize } from '../runtime/memory-guard.js';
import type { FlagSpec } from './args.js';
import { LOG_FORMATS } from '../runtime/log-format.js';
import { SUMMARY_MODES } from '../output/summary-report.js';

export function flagError(message: string): LoadtsError {
  return new LoadtsError('INVALID_FLAG', message);
}

/** A whole number; a sign is allowed so option validation can report `vus -3` with its rule. */
/** --worker-heap: MiB, at least 64 (V8 needs room for its own code and a VU's first requests). */
export function workerHeap(flag: string, value: string): number {
  const n = wholeNumber(flag, value);
  if (n < 64) throw flagError(`${flag} needs at least 64 (MiB), got ${n}`);
  return n;
}

/** --memory-limit: a size ('4GB', '512MB', '80%'), bytes. */
export function memoryLimit(flag: string, value: string): number {
  const bytes = parseMemorySize(value);
  if (bytes === undefined) throw flagError(`${flag} needs a size such as 4GB, 512MB or 80% (of the machine's memory), got ${JSON.stringify(value)}`);
  return bytes;
}

/** --series-interval: a duration of at least 100 ms. */
export function seriesInterval(flag: string, value: string): number {
  const ms = parseDuration(checkDurationText(value, text(flag), true), flag);
  if (ms < 100) throw flagError(`${flag} needs at least 100ms, got ${JSON.stringify(value)}`);
  return ms;
}

export function wholeNumber(flag: string, value: string): number {
  const s = value.trim();
  if (!/^[+-]?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw flagError(`${flag} needs a whole number, got ${JSON.stringify(value)}`);
  return Number(s);
}

function boolValue(flag: string, value: string): boolean {
  if (value === '' || /^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw flagError(`${flag} takes no value (or =true / =false), got ${JSON.stringify(value)}`);
}

function keyValue(flag: string, value: string, what: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw flagError(`${flag} needs ${what}=VALUE, got ${JSON.stringify(value)}`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

const text = (flag: string) => ({ where: flag, code: 'INVALID_FLAG' as const });

/** `value` if it is one of `allowed`, else a one-line flag error. */
function oneOf(flag: string, value: string, allowed: readonly string[]): string {
  const v = value.trim();
  if (!allowed.includes(v)) throw flagError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return v;
}

/** Every flag of `loadts run` and `loadts inspect`, k6's names and shorthands. */
export const RUN_FLAGS: readonly FlagSpec[] = [
  { name: 'vus', short: 'u', value: 'N', group: 'execution', help: 'VUs of the default scenario', apply: (c, v, f) => (c.options.vus = wholeNumber(f, v)) },
  {
    name: 'duration',
    short: 'd',
    value: 'D',
    group: 'execution',
    help: 'test duration, e.g. 30s, 1m30s (constant VUs)',
    apply: (c, v, f) => (c.options.duration = checkDurationText(v, text(f), true)),
  },
  {
    name: 'iterations',
    short: 'i',
    value: 'N',
    group: 'execution',
    help: 'total iterations, shared by the VUs',
    apply: (c, v, f) => (c.options.iterations = wholeNumber(f, v)),
  },
  {
    name: 'stage',
    short: 's',
    value: 'D:N',
    group: 'execution',
    help: 'a ramping stage, repeatable or comma-separated: -s 10s:20 -s 30s:0',
    apply: (c, v, f) => (c.options.stages = [...(c.options.stages ?? []), ...parseStagesText(v, text(f), true)]),
  },
  { name: 'workers', value: 'N', group: 'execution', help: 'worker threads (default: CPU cores, at most the VUs)', apply: (c, v, f) => {
    const n = wholeNumber(f, v);
    if (n < 1) throw flagError(`${f} needs at least 1, got ${n}`);
    c.workers = n;
  } },
  {
    name: 'worker-heap',
    value: 'MB',
    group: 'execution',
    help: "each worker thread's heap limit in MiB (default: Node's for this machine)",
    apply: (c, v, f) => (c.workerHeapMb = workerHeap(f, v)),
  },
  {
    name: 'memory-limit',
    value: 'SIZE',
    group: 'execution',
    help: 'stop the test past this much memory, e.g. 4GB or 80% (default 90%)',
    apply: (c, v, f) => (c.memoryLimitBytes = memoryLimit(f, v)),
  },
  {
    name: 'execution-segment',
    value: 'S',
    group: 'execution',
    help: 'run only this part of the test, e.g. 0:1/2, 1/2:1, 25%',
    apply: (c, v) => (c.options.executionSegment = v),
  },
  {
    name: 'execution-segment-sequence',
    value: 'Q',
    group: 'execution',
    help: 'all parts of a split test, e.g. 0,1/2,1',
    apply: (c, v) => (c.options.executionSegmentSequence = v),
  },
  {
    name: 'address',
    short: 'a',
    value: 'HOST:PORT',
    group: 'execution',
    global: true,
    help: 'start the REST API (externally-controlled scenarios), e.g. 127.0.0.1:6565',
    apply: (c, v, f) => {
      const m = /^(.*):(\d{1,5})$/.exec(v);
      if (!m || Number(m[2]) > 65535) throw flagError(`${f} needs HOST:PORT, e.g. 127.0.0.1:6565, got ${JSON.stringify(v)}`);
      c.address = v;
    },
  },
  { name: 'env', short: 'e', value: 'K=V', group: 'options', help: 'a variable for the script\'s __ENV (repeatable)', apply: (c, v, f) => {
    const [k, val] = keyValue(f, v, 'KEY');
    c.env[k] = val;
  } },
  {
    name: 'tag',
    value: 'K=V',
    group: 'options',
    help: 'a tag on every sample (repeatable or comma-separated)',
    apply: (c, v, f) => {
      for (const item of parseListText(v)) {
        const [k, val] = keyValue(f, item, 'NAME');
        if (val === '') throw flagError(`${f} needs a value after "=", got ${JSON.stringify(item)}`);
        c.options.tags = { ...(c.options.tags ?? {}), [k]: val };
      }
    },
  },
  { name: 'config', short: 'c', value: 'FILE', group: 'options', global: true, help: 'options from a JSON or YAML file', apply: (c, v) => (c.configPath = v) },
  {
    name: 'no-remote-modules',
    group: 'options',
    help: 'do not fetch https:// imports (built-in jslib modules still work)',
    apply: (c, v, f) => (c.noRemoteModules = boolValue(f, v)),
  },
  {
    name: 'secret-source',
    value: 'S',
    group: 'options',
    help: 'a k6/secrets source, repeatable: file=PATH, env=PREFIX or mock=k=v',
    apply: (c, v) => (c.secretSources = [...(c.secretSources ?? []), v]),
  },
  {
    name: 'max-response-body-size',
    value: 'SIZE',
    group: 'options',
    help: 'the largest response body a VU keeps (default 256MiB)',
    apply: (c, v) => (c.options.maxResponseBodySize = v),
  },
  { name: 'user-agent', value: 'S', group: 'options', help: 'User-Agent header of HTTP requests', apply: (c, v) => (c.options.userAgent = v) },
  {
    name: 'discard-response-bodies',
    group: 'options',
    help: 'do not keep response bodies',
    apply: (c, v, f) => (c.options.discardResponseBodies = boolValue(f, v)),
  },
  { name: 'no-connection-reuse', group: 'options', help: 'a new connection for every request', apply: (c, v, f) => (c.options.noConnectionReuse = boolValue(f, v)) },
  {
    name: 'no-vu-connection-reuse',
    group: 'options',
    help: 'new connections for every iteration',
    apply: (c, v, f) => (c.options.noVUConnectionReuse = boolValue(f, v)),
  },
  {
    name: 'insecure-skip-tls-verify',
    group: 'options',
    help: 'accept any TLS certificate',
    apply: (c, v, f) => (c.options.insecureSkipTLSVerify = boolValue(f, v)),
  },
  { name: 'max-redirects', value: 'N', group: 'options', help: 'redirects to follow (default 10)', apply: (c, v, f) => (c.options.maxRedirects = wholeNumber(f, v)) },
  { name: 'batch', value: 'N', group: 'options', help: 'parallel requests of http.batch (default 20)', apply: (c, v, f) => (c.options.batch = wholeNumber(f, v)) },
  {
    name: 'batch-per-host',
    value: 'N',
    group: 'options',
    help: 'parallel requests of http.batch per host (default 6)',
    apply: (c, v, f) => (c.options.batchPerHost = wholeNumber(f, v)),
  },
  {
    name: 'setup-timeout',
    value: 'D',
    group: 'options',
    help: 'limit for setup() (default 60s)',
    apply: (c, v, f) => (c.options.setupTimeout = checkDurationText(v, text(f), true)),
  },
  {
    name: 'teardown-timeout',
    value: 'D',
    group: 'options',
    help: 'limit for teardown() (default 60s)',
    apply: (c, v, f) => (c.options.teardownTimeout = checkDurationText(v, text(f), true)),
  },
  {
    name: 'out',
    short: 'o',
    value: 'NAME=ARG',
    group: 'results',
    help: 'an output, repeatable: record=run.json, json=FILE, csv=FILE, junit=FILE',
    apply: (c, v) => c.outputs.push(v),
  },
  {
    name: 'series-interval',
    value: 'D',
    group: 'results',
    help: 'interval of the time series (results over time; default 1s)',
    apply: (c, v, f) => (c.seriesIntervalMs = seriesInterval(f, v)),
  },
  {
    name: 'watch-pid',
    value: 'N',
    group: 'results',
    help: 'watch the target process and its children each second; judge leaks',
    apply: (c, v, f) => {
      const pid = wholeNumber(f, v);
      if (pid < 1) throw flagError(`${f} needs a process id, got ${pid}`);
      c.watchPid = pid;
    },
  },
  { name: 'watch-cmd', value: 'CMD', group: 'results', help: 'start the target, watch it as --watch-pid, stop it at the end', apply: (c, v) => (c.watchCmd = v) },
  { name: 'no-step-summary', group: 'results', help: 'no Markdown summary in $GITHUB_STEP_SUMMARY', apply: (c, v, f) => (c.noStepSummary = boolValue(f, v)) },
  { name: 'summary-export', value: 'FILE', group: 'results', help: 'write k6\'s --summary-export JSON', apply: (c, v) => (c.summaryExport = v) },
  {
    name: 'summary-trend-stats',
    value: 'LIST',
    group: 'results',
    help: 'trend columns, e.g. avg,med,p(99),max (avg, min, med, max, count, p(N))',
    apply: (c, v) => (c.options.summaryTrendStats = [...(c.options.summaryTrendStats ?? []), ...parseListText(v)]),
  },
  { name: 'summary-time-unit', value: 'U', group: 'results', help: 'one unit for every time in the summary: s, ms or us', apply: (c, v) => (c.options.summaryTimeUnit = v.trim()) },
  {
    name: 'summary-mode',
    value: 'MODE',
    group: 'results',
    help: 'compact (default), full (+ scenarios, groups), legacy',
    apply: (c, v, f) => (c.summaryMode = oneOf(f, v, SUMMARY_MODES)),
  },
  { name: 'no-summary', group: 'results', help: 'no end-of-test summary', apply: (c, v, f) => (c.noSummary = boolValue(f, v)) },
  { name: 'no-thresholds', group: 'results', help: 'do not evaluate thresholds', apply: (c, v, f) => (c.noThresholds = boolValue(f, v)) },
  { name: 'quiet', short: 'q', group: 'output', global: true, help: 'no progress output', apply: (c, v, f) => (c.quiet = boolValue(f, v)) },
  { name: 'no-color', group: 'output', global: true, help: 'no colours (also NO_COLOR=1)', apply: (c, v, f) => (c.noColor = boolValue(f, v)) },
  {
    name: 'log-format',
    value: 'FORMAT',
    group: 'output',
    global: true,
    help: 'log lines of console and errors: text (default), json, raw',
    apply: (c, v, f) => (c.logFormat = oneOf(f, v, LOG_FORMATS)),
  },
  { name: 'console-output', value: 'FILE', group: 'output', help: 'append console output to FILE, not stderr', apply: (c, v) => (c.consoleOutput = v) },
  { name: 'verbose', short: 'v', group: 'output', global: true, help: 'console.debug too (inspect: everything as JSON)', apply: (c, v, f) => (c.verbose = boolValue(f, v)) },
];

