import { LoadtsError } from '../errors.js';
import { closest } from '../options/checks.js';
import type { Options } from '../options/types.js';
import { flagError, RUN_FLAGS, wholeNumber } from './run-flags.js';

export { RUN_FLAGS } from './run-flags.js';

/** A parsed command line. */
export type CliCommand =
  | {
      command: 'run' | 'inspect';
      script: string;
      /** Options set by flags (the highest-priority layer); unvalidated beyond syntax. */
      options: Options;
      configPath?: string;
      /** -e KEY=VALUE pairs for the script's __ENV. */
      env: Record<string, string>;
      summaryExport?: string;
      noSummary: boolean;
      noThresholds: boolean;
      /** --no-remote-modules: https:// imports are not fetched (built-in jslib modules still work). */
      noRemoteModules?: boolean;
      /** --secret-source specs, in order (k6/secrets). */
      secretSources?: string[];
      quiet: boolean;
      noColor: boolean;
      verbose: boolean;
      /** --console-output: the console's lines go to this file (appended), not stderr. */
      consoleOutput?: string;
      /** --log-format: text (k6's default), json or raw. */
      logFormat?: string;
      /** --summary-mode: compact (default), full or legacy. */
      summaryMode?: string;
      /** --out NAME[=ARG], repeatable, in order. */
      outputs: string[];
      /** --series-interval: the time series' interval, ms. */
      seriesIntervalMs?: number;
      /** --no-step-summary: nothing appended to $GITHUB_STEP_SUMMARY. */
      noStepSummary: boolean;
      workers?: number;
      /** --worker-heap: each worker thread's heap limit, MiB. */
      workerHeapMb?: number;
      /** --memory-limit: the process's memory limit, bytes. */
      memoryLimitBytes?: number;
      address?: string;
      /** --watch-pid: the target process to watch. */
      watchPid?: number;
      /** --watch-cmd: a command that starts the target, watched and stopped at the end. */
      watchCmd?: string;
    }
  | { command: 'serve'; port: number; host: string; /** https on a generated self-signed certificate */ tls?: boolean; /** HTTP/2 too (implies tls) */ h2?: boolean }
  /** Commands that read run records: their own small parsers (record-args.ts) take the arguments. */
  | { command: 'summary' | 'report' | 'merge' | 'fleet' | 'capacity' | 'compare'; args: readonly string[] }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

/** The run/inspect form of CliCommand. */
export type RunCommand = Extract<CliCommand, { command: 'run' | 'inspect' }>;

/** Default address of `loadts serve` (the embedded demo target). */
export const SERVE_DEFAULTS = { port: 3333, host: '127.0.0.1' } as const;

/** Commands, for help and "did you mean". */
export const COMMANDS = ['run', 'inspect', 'serve', 'summary', 'report', 'merge', 'fleet', 'capacity', 'compare', 'version', 'help'] as const;

/** Help sections that group the run flags. */
export type FlagGroup = 'execution' | 'options' | 'results' | 'output';

/** One flag of `loadts run` / `loadts inspect`. */
export interface FlagSpec {
  /** Long name without dashes. */
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value ('N', 'D'); absent for a boolean flag. */
  readonly value?: string;
  readonly help: string;
  readonly group: FlagGroup;
  /** Accepted before the command too (`loadts -q run ...`), as k6's global flags. */
  readonly global?: boolean;
  apply(cmd: RunCommand, value: string, flag: string): void;
}

const BY_NAME = new Map(RUN_FLAGS.map((f) => [f.name, f]));
const BY_SHORT = new Map(RUN_FLAGS.flatMap((f) => (f.short ? [[f.short, f] as const] : [])));

/** Does `next` look like a flag rather than a value? ('-5' and '-' are values.) */
function looksLikeFlag(next: string): boolean {
  return next.startsWith('-') && next !== '-' && !/^-\d/.test(next);
}

/** Splits argv into flags applied to `cmd` and positional arguments. */
function parseFlags(cmd: RunCommand, args: readonly string[], positional: string[]): void {
  const label = `"loadts ${cmd.command}"`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      return;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    // Take the value of a flag that needs one: inline, or the next argument.
    const valueFor = (spec: FlagSpec, flag: string, inline: string | undefined): string => {
      if (!spec.value) return inline ?? '';
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || looksLikeFlag(next)) throw flagError(`${flag} needs a value (${spec.value})`);
      i++;
      return next;
    };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
      const spec = BY_NAME.get(name);
      if (spec === undefined) {
        const guess = closest(name, BY_NAME.keys());
        throw flagError(`unknown flag --${name} for ${label}${guess ? ` (did you mean --${guess}?)` : ` (see loadts ${cmd.command} --help)`}`);
      }
      spec.apply(cmd, valueFor(spec, `--${name}`, inline), `--${name}`);
      continue;
    }
    // '-vus' is a long flag with one dash: say so rather than reading '-v -u s'.
    const word = arg.slice(1).split('=')[0] ?? '';
    if (word.length > 1 && BY_NAME.has(word)) throw flagError(`unknown flag ${arg.split('=')[0]} for ${label} (did you mean --${word}?)`);
    // A cluster of shorthands: '-qv', '-u5', '-u=5', '-d' '30s'.
    for (let j = 1; j < arg.length; j++) {
      const short = arg[j] ?? '';
      const spec = BY_SHORT.get(short);
      if (spec === undefined) throw flagError(`unknown shorthand flag -${short} in ${arg} for ${label} (see loadts ${cmd.command} --help)`);
      const rest = arg.slice(j + 1);
      if (spec.value) {
        spec.apply(cmd, valueFor(spec, `-${short}`, rest === '' ? undefined : rest.replace(/^=/, '')), `-${short}`);
        break;
      }
      if (rest.startsWith('=')) {
        spec.apply(cmd, rest.slice(1), `-${short}`);
        break;
      }
      spec.apply(cmd, '', `-${short}`);
    }
  }
}

function parseRun(command: 'run' | 'inspect', args: readonly string[], globals: readonly string[]): CliCommand {
  const beforeDashes = args.indexOf('--') < 0 ? args : args.slice(0, args.indexOf('--'));
  if (beforeDashes.includes('-h') || beforeDashes.includes('--help')) return { command: 'help', topic: command };
  const cmd: RunCommand = { command, script: '', options: {}, env: {}, noSummary: false, noThresholds: false, quiet: false, noColor: false, verbose: false, outputs: [], noStepSummary: false };
  const positional: string[] = [];
  parseFlags(cmd, [...globals, ...args], positional);
  if (positional.length === 0) throw flagError(`missing script: loadts ${command} [flags] <script.ts>`);
  if (positional.length > 1) throw flagError(`loadts ${command} takes one script, got ${positional.map((p) => JSON.stringify(p)).join(', ')}`);
  cmd.script = positional[0] ?? '';
  return cmd;
}

function parseServe(args: readonly string[]): CliCommand {
  let port: number = SERVE_DEFAULTS.port;
  let host: string = SERVE_DEFAULTS.host;
  let tls = false;
  let h2 = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-h' || arg === '--help') return { command: 'help', topic: 'serve' };
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || looksLikeFlag(next)) throw flagError(`${name} needs a value`);
      i++;
      return next;
    };
    if (name === '--port' || name === '-p') {
      port = wholeNumber('--port', value());
      if (port < 0 || port > 65535) throw flagError(`--port needs a port from 0 to 65535, got ${port}`);
    } else if (name === '--host') {
      host = value();
      if (host.trim() === '') throw flagError('--host needs a host name or address');
    } else if (name === '--tls' && inline === undefined) {
      tls = true;
    } else if (name === '--h2' && inline === undefined) {
      tls = true;
      h2 = true;
    } else if (!arg.startsWith('-')) {
      throw flagError(`loadts serve takes no script or argument, got ${JSON.stringify(arg)}`);
    } else {
      const guess = closest(name.replace(/^-+/, ''), ['port', 'host', 'tls', 'h2', 'help']);
      throw flagError(`unknown flag ${name} for "loadts serve"${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
  }
  return { command: 'serve', port, host, ...(tls ? { tls } : {}), ...(h2 ? { h2 } : {}) };
}

/**
 * Parses the `loadts` command line (arguments after the executable). k6's conventions: flags before
 * or after the script, `--flag value` and `--flag=value`, shorthands (`-u 5`, `-u5`, `-qv`),
 * repeatable `-e`, `-s` and `--tag`, and the global flags (-c, -a, -q, -v, --no-color) also before the
 * command. Option flags only collect values: options are validated when all sources are merged,
 * so their messages name the option and 'command line'.
 * @throws LoadtsError INVALID_FLAG with a one-line message
 */
export function parseArgs(argv: readonly string[]): CliCommand {
  // Global flags before the command: `loadts -q --no-color run script.ts`.
  const globals: string[] = [];
  let at = 0;
  for (; at < argv.length; at++) {
    const arg = argv[at] ?? '';
    if (arg === '-h' || arg === '--help' || arg === '--version' || !arg.startsWith('-')) break;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
    const spec = name !== undefined ? BY_NAME.get(name) : arg.length === 2 ? BY_SHORT.get(arg.slice(1)) : undefined;
    const flag = arg.split('=')[0] ?? arg;
    if (spec !== undefined && !spec.global) throw flagError(`${flag} goes after the command: loadts run ${flag} ... script.ts`);
    if (spec === undefined) {
      const guess = name !== undefined ? closest(name, [...BY_NAME.keys(), 'help', 'version']) : undefined;
      throw flagError(`unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ''} (usage: loadts run [flags] script.ts)`);
    }
    globals.push(arg);
    if (spec.value && !arg.includes('=')) {
      const next = argv[at + 1];
      if (next === undefined || looksLikeFlag(next)) throw flagError(`${arg} needs a value (${spec.value})`);
      globals.push(next);
      at++;
    }
  }
  const first = argv[at];
  const rest = argv.slice(at + 1);
  switch (first) {
    case undefined:
    case '-h':
    case '--help':
      return { command: 'help' };
    case 'help': {
      const topic = rest[0];
      if (topic !== undefined && !(COMMANDS as readonly string[]).includes(topic)) {
        throw flagError(`no help for "${topic}" (commands: ${COMMANDS.join(', ')})`);
      }
      return topic === undefined ? { command: 'help' } : { command: 'help', topic };
    }
    case 'version':
    case '--version':
      return { command: 'version' };
    case 'run':
    case 'inspect':
      return parseRun(first, rest, globals);
    case 'serve':
      return parseServe(rest);
    case 'summary':
    case 'report':
    case 'merge':
    case 'fleet':
    case 'capacity':
    case 'compare':
      return { command: first, args: rest };
    default: {
      if (/\.(ts|mts|cts|js|mjs|cjs|tsx|jsx)$/.test(first)) throw flagError(`unknown command "${first}" (did you mean loadts run ${first}?)`);
      const guess = closest(first, COMMANDS);
      throw flagError(`unknown command "${first}"${guess ? ` (did you mean loadts ${guess}?)` : ''} (commands: ${COMMANDS.join(', ')})`);
    }
  }
}
