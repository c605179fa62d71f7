import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoadtsError, toError } from '../errors.js';
import type { LogConfig } from '../runtime/console.js';
import { LOG_FORMATS, type LogFormat } from '../runtime/log-format.js';

/** What decides logging, from flags over the environment. */
export interface LogChoices {
  logFormat?: string;
  consoleOutput?: string;
  verbose: boolean;
  noColor: boolean;
}

/**
 * The logging the workers apply: k6's text format unless --log-format says json or raw, coloured
 * when stderr is a terminal, and the console to --console-output when given (created if missing,
 * appended to, as k6 does; checked here so a bad path fails before any load).
 * @throws LoadtsError INVALID_FLAG for an unknown format or a file that cannot be written
 */
export function logConfigFor(c: LogChoices, cwd: string, stderrIsTTY: boolean, startedAtMs = Date.now()): LogConfig {
  const format = c.logFormat ?? 'text';
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new LoadtsError('INVALID_FLAG', `--log-format must be one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const config: LogConfig = { format: format as LogFormat, colors: stderrIsTTY && !c.noColor, verbose: c.verbose, startedAtMs };
  if (c.consoleOutput !== undefined && c.consoleOutput !== '') {
    const path = resolve(cwd, c.consoleOutput);
    try {
      closeSync(openSync(path, 'a'));
    } catch (e) {
      throw new LoadtsError('INVALID_FLAG', `--console-output ${c.consoleOutput}: cannot write there: ${toError(e).message}`);
    }
    config.consoleOutput = path;
  }
  return config;
}
