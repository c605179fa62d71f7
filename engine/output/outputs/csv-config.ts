import { LoadtsError } from '../../errors.js';
import { parseDuration } from '../../options/duration.js';

/** k6's CSV time formats (K6_CSV_TIME_FORMAT, timeFormat=). */
export const CSV_TIME_FORMATS = ['unix', 'unix_milli', 'unix_micro', 'unix_nano', 'rfc3339', 'rfc3339_nano'] as const;
export type CsvTimeFormat = (typeof CSV_TIME_FORMATS)[number];

/** The CSV output's settings, as k6 (output/csv/config.go) consolidates them. */
export interface CsvConfig {
  /** File name; '' or '-' for stdout. Default 'file.csv', as k6. */
  fileName: string;
  saveIntervalMs: number;
  timeFormat: CsvTimeFormat;
}

const fail = (message: string) => new LoadtsError('INVALID_FLAG', message);

function timeFormat(value: string, where: string): CsvTimeFormat {
  const v = value.trim().toLowerCase();
  if (!(CSV_TIME_FORMATS as readonly string[]).includes(v)) throw fail(`${where}: time format must be one of ${CSV_TIME_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  return v as CsvTimeFormat;
}

/** A save interval: a duration ('1m45s') or a number of milliseconds, as k6's types.Duration reads it. */
function saveInterval(value: string, where: string): number {
  const v = value.trim();
  let ms: number;
  try {
    ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) : parseDuration(v, where);
  } catch {
    throw fail(`${where}: save interval must be a duration such as 1s or 500ms, got ${JSON.stringify(value)}`);
  }
  if (!(ms > 0)) throw fail(`${where}: save interval must be more than 0, got ${JSON.stringify(value)}`);
  return ms;
}

/** The keys of `--out csv=key=value,...`: k6's (fileName, saveInterval, timeFormat) and their snake_case forms. */
const ARG_KEYS: Record<string, keyof CsvConfig> = {
  fileName: 'fileName',
  file_name: 'fileName',
  saveInterval: 'saveIntervalMs',
  save_interval: 'saveIntervalMs',
  timeFormat: 'timeFormat',
  time_format: 'timeFormat',
};

/**
 * Defaults < K6_CSV_* / LOADTS_CSV_* (LOADTS_ wins) < the `--out csv=` argument, as in k6. The
 * argument is a file name, or comma-separated key=value pairs when it holds a '='.
 */
export function csvConfig(arg: string | undefined, env: Readonly<Record<string, string | undefined>>): CsvConfig {
  const c: CsvConfig = { fileName: 'file.csv', saveIntervalMs: 1000, timeFormat: 'unix' };
  const fromEnv = (name: string) => {
    const variable = env[`LOADTS_CSV_${name}`] !== undefined ? `LOADTS_CSV_${name}` : `K6_CSV_${name}`;
    const value = env[variable];
    return value === undefined ? undefined : { variable, value };
  };
  const file = fromEnv('FILENAME');
  if (file) c.fileName = file.value;
  const interval = fromEnv('SAVE_INTERVAL');
  if (interval) c.saveIntervalMs = saveInterval(interval.value, interval.variable);
  const format = fromEnv('TIME_FORMAT');
  if (format) c.timeFormat = timeFormat(format.value, format.variable);
  if (arg === undefined || arg === '') return c;
  if (!arg.includes('=')) return { ...c, fileName: arg };
  for (const pair of arg.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (value === '') throw fail(`--out csv: cannot read ${JSON.stringify(pair)} in ${JSON.stringify(arg)} as key=value`);
    const field = ARG_KEYS[key.trim()];
    if (field === undefined) throw fail(`--out csv: unknown key ${JSON.stringify(key)} (known: fileName, saveInterval, timeFormat)`);
    if (field === 'fileName') c.fileName = value;
    else if (field === 'saveIntervalMs') c.saveIntervalMs = saveInterval(value, `--out csv ${key}`);
    else c.timeFormat = timeFormat(value, `--out csv ${key}`);
  }
  return c;
}
