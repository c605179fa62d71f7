/**
 * Logging in a worker thread as k6 logs: the script's console.log/info/warn/error (and debug, with
 * --verbose) and iteration errors go to stderr as k6's logger prints them (log-format.ts), or the
 * console's to the --console-output file. One place every line passes through.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { inspect } from 'node:util';
import { formatLogLine, type LogFormat, type LogLevel, type LogStyle } from './log-format.js';
import { redact } from './redact.js';

/** What the CLI decides about logging; travels to every worker with its tasks. */
export interface LogConfig {
  format: LogFormat;
  /** stderr is a terminal and colours are on. */
  colors: boolean;
  /** --verbose: console.debug is printed. */
  verbose: boolean;
  /** --console-output: an absolute path the console's lines are appended to (k6 appends too). */
  consoleOutput?: string;
  /** Epoch ms of the run's start (the coloured form counts seconds from it). */
  startedAtMs: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = { format: 'text', colors: false, verbose: false, startedAtMs: Date.now() };

let config: LogConfig = DEFAULT_LOG_CONFIG;
/** The config applied, as text: every task brings its own copy of the same config. */
let configKey = '';
let style: LogStyle = { format: 'text', colors: false, startedAtMs: config.startedAtMs };
let consoleFd: number | undefined;
let fileStyle: LogStyle = style;

/** Writes one line to stderr. */
export function logLine(level: LogLevel, msg: string, fields: Readonly<Record<string, string>> = {}): void {
  process.stderr.write(formatLogLine(style, level, msg, fields));
}

/** k6's console: arguments joined by spaces; objects as JSON; fields `source=console`. */
function consoleWrite(level: LogLevel, args: readonly unknown[]): void {
  if (level === 'debug' && !config.verbose) return;
  let msg = '';
  for (let i = 0; i < args.length; i++) msg += (i > 0 ? ' ' : '') + valueString(args[i]);
  // k6's file console has no source field: only the console writes there
  if (consoleFd !== undefined) writeSync(consoleFd, redact(formatLogLine(fileStyle, level, msg, {})));
  else logLine(level, msg, { source: 'console' });
}

/** How k6 prints a console argument. */
export function valueString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v === null || typeof v !== 'object') return String(v);
  try {
    const json = JSON.stringify(v);
    if (json !== undefined) return json;
  } catch {
    // a cycle, a BigInt: Node's own rendering
  }
  return inspect(v, { depth: 4, breakLength: Infinity });
}

/**
 * Applies the CLI's logging choices in this thread (once per run: tasks carry the same config) and
 * makes the global console k6's.
 */
export function configureLogging(c: LogConfig | undefined): void {
  if (c === undefined) return;
  const key = JSON.stringify(c);
  if (key === configKey) return;
  configKey = key;
  config = c;
  if (consoleFd !== undefined) closeSync(consoleFd);
  style = { format: c.format, colors: c.colors, startedAtMs: c.startedAtMs };
  fileStyle = { ...style, colors: false };
  consoleFd = c.consoleOutput === undefined ? undefined : openSync(c.consoleOutput, 'a');
  installConsole();
}

let installed = false;
function installConsole(): void {
  if (installed) return;
  installed = true;
  const con = globalThis.console;
  con.log = (...a: unknown[]) => consoleWrite('info', a);
  con.info = (...a: unknown[]) => consoleWrite('info', a);
  con.warn = (...a: unknown[]) => consoleWrite('warning', a);
  con.error = (...a: unknown[]) => consoleWrite('error', a);
  con.debug = (...a: unknown[]) => consoleWrite('debug', a);
}

installConsole();
