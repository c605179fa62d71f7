/**
 * Log lines as k6 prints them (k6 uses logrus): `--log-format text` (the default) is logrus's
 * TextFormatter, coloured on a terminal (`INFO[0003] message   source=console`) and logfmt
 * otherwise (`time="2024-05-01T10:00:00+02:00" level=info msg="a message" source=console`);
 * `json` is logrus's JSONFormatter (keys sorted); `raw` is the message alone.
 */

/** logrus's level names (its warn level prints as "warning"). */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export const LOG_FORMATS = ['text', 'json', 'raw'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogStyle {
  format: LogFormat;
  /** logrus's coloured form (stderr is a terminal and colours are on). */
  colors: boolean;
  /** Epoch ms the coloured form's [seconds] count from (the run's start). */
  startedAtMs: number;
}

const LEVEL_COLOR: Readonly<Record<LogLevel, number>> = { debug: 37, info: 36, warning: 33, error: 31 };

/** One log line, newline included. */
export function formatLogLine(style: LogStyle, level: LogLevel, msg: string, fields: Readonly<Record<string, string>>, nowMs = Date.now()): string {
  const message = msg.endsWith('\n') ? msg.slice(0, -1) : msg;
  if (style.format === 'raw') return `${message}\n`;
  const keys = Object.keys(fields).sort();
  if (style.format === 'json') {
    const all: Record<string, string> = { ...fields, level, msg: message, time: rfc3339(nowMs) };
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(all).sort()) sorted[k] = all[k]!;
    return `${JSON.stringify(sorted)}\n`;
  }
  if (style.colors) {
    const c = LEVEL_COLOR[level];
    const secs = Math.max(0, Math.floor((nowMs - style.startedAtMs) / 1000));
    let line = `\x1b[${c}m${level.toUpperCase().slice(0, 4)}\x1b[0m[${String(secs).padStart(4, '0')}] ${message.padEnd(44)} `;
    for (const k of keys) line += ` \x1b[${c}m${k}\x1b[0m=${logfmtValue(fields[k]!)}`;
    return `${line}\n`;
  }
  let line = `time=${logfmtValue(rfc3339(nowMs))} level=${level} msg=${logfmtValue(message)}`;
  for (const k of keys) line += ` ${k}=${logfmtValue(fields[k]!)}`;
  return `${line}\n`;
}

/** logrus's rule: a value with anything but letters, digits and -._/@^+ is quoted (Go's %q). */
function logfmtValue(v: string): string {
  return /^[A-Za-z0-9\-._/@^+]*$/.test(v) ? v : goQuote(v);
}

/** Go's strconv.Quote for the characters log messages hold. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's time.RFC3339 in local time: 2024-05-01T10:00:00+02:00 (Z for UTC). */
export function rfc3339(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${zone}`;
}
