import { LoadtsError } from '../errors.js';
import { parseKeyValues, parseStages } from '../options/env.js';
import type { Options, Stage } from '../options/types.js';

/** A parsed command line. */
export type CliCommand =
  | {
      command: 'run' | 'inspect';
      script: string;
      /** Options set by flags (highest priority). */
      options: Options;
      configPath?: string;
      env: Record<string, string>;
      summaryExport?: string;
      noSummary: boolean;
      noThresholds: boolean;
      quiet: boolean;
      noColor: boolean;
      verbose: boolean;
      workers?: number;
      address?: string;
    }
  | { command: 'serve'; port: number; host: string }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

type RunCommand = Extract<CliCommand, { command: 'run' | 'inspect' }>;

interface FlagSpec {
  short?: string;
  /** Takes a value. */
  value: boolean;
  apply(cmd: RunCommand, value: string, flag: string): void;
}

function intValue(flag: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new LoadtsError('INVALID_FLAG', `${flag} needs a whole number${min > 0 ? ` ≥ ${min}` : ''}, got "${value}"`);
  return Number(value);
}

function keyValue(flag: string, value: string): [string, string] {
  const i = value.indexOf('=');
  if (i <= 0) throw new LoadtsError('INVALID_FLAG', `${flag} needs KEY=VALUE, got "${value}"`);
  return [value.slice(0, i), value.slice(i + 1)];
}

const RUN_FLAGS: Record<string, FlagSpec> = {
  vus: { short: 'u', value: true, apply: (c, v, f) => (c.options.vus = intValue(f, v)) },
  duration: { short: 'd', value: true, apply: (c, v) => (c.options.duration = v) },
  iterations: { short: 'i', value: true, apply: (c, v, f) => (c.options.iterations = intValue(f, v, 1)) },
  stage: {
    short: 's',
    value: true,
    apply: (c, v, f) => {
      const parsed: Stage[] = (() => {
        try {
          return parseStages(v, f);
        } catch (e) {
          throw new LoadtsError('INVALID_FLAG', (e as Error).message.replace(/^invalid /, ''));
        }
      })();
      c.options.stages = [...(c.options.stages ?? []), ...parsed];
    },
  },
  env: { short: 'e', value: true, apply: (c, v, f) => {
    const [k, val] = keyValue(f, v);
    c.env[k] = val;
  } },
  tag: { value: true, apply: (c, v, f) => {
    const [k, val] = keyValue(f, v);
    c.options.tags = { ...(c.options.tags ?? {}), [k]: val };
  } },
  config: { short: 'c', value: true, apply: (c, v) => (c.configPath = v) },
  'summary-export': { value: true, apply: (c, v) => (c.summaryExport = v) },
  'summary-trend-stats': { value: true, apply: (c, v) => (c.options.summaryTrendStats = v.split(',').map((s) => s.trim()).filter(Boolean)) },
  'summary-time-unit': { value: true, apply: (c, v) => (c.options.summaryTimeUnit = v) },
  'no-summary': { value: false, apply: (c) => (c.noSummary = true) },
  'no-thresholds': { value: false, apply: (c) => (c.noThresholds = true) },
  workers: { value: true, apply: (c, v, f) => (c.workers = intValue(f, v, 1)) },
  quiet: { short: 'q', value: false, apply: (c) => (c.quiet = true) },
  'no-color': { value: false, apply: (c) => (c.noColor = true) },
  verbose: { short: 'v', value: false, apply: (c) => (c.verbose = true) },
  'execution-segment': { value: true, apply: (c, v) => (c.options.executionSegment = v) },
  'execution-segment-sequence': { value: true, apply: (c, v) => (c.options.executionSegmentSequence = v) },
  address: { short: 'a', value: true, apply: (c, v) => (c.address = v) },
  'user-agent': { value: true, apply: (c, v) => (c.options.userAgent = v) },
  'discard-response-bodies': { value: false, apply: (c) => (c.options.discardResponseBodies = true) },
  'no-connection-reuse': { value: false, apply: (c) => (c.options.noConnectionReuse = true) },
  'no-vu-connection-reuse': { value: false, apply: (c) => (c.options.noVUConnectionReuse = true) },
  'insecure-skip-tls-verify': { value: false, apply: (c) => (c.options.insecureSkipTLSVerify = true) },
  'max-redirects': { value: true, apply: (c, v, f) => (c.options.maxRedirects = intValue(f, v)) },
  'setup-timeout': { value: true, apply: (c, v) => (c.options.setupTimeout = v) },
  'teardown-timeout': { value: true, apply: (c, v) => (c.options.teardownTimeout = v) },
};

const SHORT: Record<string, string> = Object.fromEntries(
  Object.entries(RUN_FLAGS).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])),
);

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const dd = distance(name, k);
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best ? ` (did you mean --${best}?)` : '';
}

function parseRun(command: 'run' | 'inspect', args: string[]): CliCommand {
  const cmd: RunCommand = { command, script: '', options: {}, env: {}, noSummary: false, noThresholds: false, quiet: false, noColor: false, verbose: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return { command: 'help', topic: command };
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg.slice(1, 2);
      const long = SHORT[short];
      if (long === undefined) throw new LoadtsError('INVALID_FLAG', `unknown flag ${arg} for "loadts ${command}" (see loadts ${command} --help)`);
      name = long;
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
    } else {
      positional.push(arg);
      continue;
    }
    const spec = RUN_FLAGS[name];
    if (spec === undefined) {
      throw new LoadtsError('INVALID_FLAG', `unknown flag --${name} for "loadts ${command}"${suggest(name, Object.keys(RUN_FLAGS))}`);
    }
    const flag = arg.startsWith('--') ? `--${name}` : arg.slice(0, 2);
    let value = '';
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else {
        const next = args[i + 1];
        if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) {
          throw new LoadtsError('INVALID_FLAG', `${flag} needs a value`);
        }
        value = next;
        i++;
      }
    } else if (inline !== undefined) throw new LoadtsError('INVALID_FLAG', `${flag} takes no value`);
    spec.apply(cmd, value, flag);
  }
  if (positional.length === 0) throw new LoadtsError('INVALID_FLAG', `missing script: loadts ${command} [flags] <script.ts>`);
  if (positional.length > 1) throw new LoadtsError('INVALID_FLAG', `one script at a time: got ${positional.map((p) => `"${p}"`).join(', ')}`);
  cmd.script = positional[0]!;
  return cmd;
}

function parseServe(args: string[]): CliCommand {
  let port = 3333;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return { command: 'help', topic: 'serve' };
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new LoadtsError('INVALID_FLAG', `${name} needs a value`);
      return v;
    };
    if (name === '--port' || name === '-p') {
      port = intValue('--port', value());
      if (port > 65535) throw new LoadtsError('INVALID_FLAG', `--port must be at most 65535, got ${port}`);
    } else if (name === '--host') host = value();
    else throw new LoadtsError('INVALID_FLAG', `unknown flag ${name} for "loadts serve"${suggest(name.replace(/^-+/, ''), ['port', 'host'])}`);
  }
  return { command: 'serve', port, host };
}

/** Parses `loadts` arguments (without node and the script path). */
export function parseArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      return { command: 'help', topic: rest[0] };
    case 'version':
    case '--version':
      return { command: 'version' };
    case 'run':
    case 'inspect':
      return parseRun(first, rest);
    case 'serve':
      return parseServe(rest);
    default:
      if (/\.(ts|js|mjs|mts)$/.test(first)) throw new LoadtsError('INVALID_FLAG', `unknown command "${first}": did you mean loadts run ${first}?`);
      throw new LoadtsError('INVALID_FLAG', `unknown command "${first}" (commands: run, inspect, serve, version, help)`);
  }
}
